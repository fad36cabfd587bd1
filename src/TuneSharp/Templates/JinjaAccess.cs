using TuneSharp.Text;
namespace TuneSharp.Templates;

/// <summary>
/// Attribute (<c>a.b</c>) and item (<c>a['b']</c>, <c>a[0]</c>, <c>a[1:]</c>) access with jinja2's rules:
/// <c>a.b</c> tries a Python attribute (a method such as <c>dict.items</c>) before the item; <c>a['b']</c>
/// tries the item first. Missing → undefined; anything on an undefined → error.
/// </summary>
internal static class JinjaAccess
{
    public static object? GetAttr(object? obj, string name)
    {
        switch (obj)
        {
            case JinjaUndefined u: throw u.Fail();
            case JinjaLoop loop: return loop.Get(name);
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out var nv) ? nv : JinjaUndefined.ForAttribute(obj, name);
        }
        if (JinjaMethods.TryBind(obj, name, out var method)) return method;
        if (obj is PyDict d && d.TryGet(name, out var value)) return value;
        return JinjaUndefined.ForAttribute(obj, name);
    }

    public static object? GetItem(object? obj, object? key)
    {
        switch (obj)
        {
            case JinjaUndefined u: throw u.Fail();
            case PyDict d:
                if (d.TryGet(key, out var value)) return value;
                break;
            case List<object?> or object?[] when key is long or bool:
                var list = (IReadOnlyList<object?>)obj;
                long i = key is bool b ? (b ? 1 : 0) : (long)key;
                if (i < 0) i += list.Count;
                return i >= 0 && i < list.Count ? list[(int)i] : JinjaUndefined.ForItem(obj, key);
            case string s when key is long or bool:
                return PyText.At(s, key is bool bb ? (bb ? 1 : 0) : (long)key) ?? (object)JinjaUndefined.ForItem(obj, key);
        }
        // Like jinja2, a failed item lookup with a string key falls back to the attribute.
        if (key is string name) return GetAttr(obj, name);
        return JinjaUndefined.ForItem(obj, key);
    }

    public static object? Slice(object? obj, long? start, long? stop, long? step)
    {
        if (obj is JinjaUndefined u) throw u.Fail();
        if (step == 0 && obj is string or List<object?> or object?[]) throw new JinjaRuntimeException("slice step cannot be zero");
        return obj switch
        {
            string s => PyText.Slice(s, start, stop, step),
            List<object?> l => PySlice.Positions(l.Count, start, stop, step).Select(i => l[i]).ToList(),
            object?[] t => PySlice.Positions(t.Length, start, stop, step).Select(i => t[i]).ToArray(),
            _ => throw new JinjaRuntimeException($"'{PyOps.TypeName(obj)}' object is not subscriptable"),
        };
    }
}
