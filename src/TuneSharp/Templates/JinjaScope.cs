namespace TuneSharp.Templates;

/// <summary>
/// A variable frame. Like jinja2, a for-loop iteration and a macro call get their own frame, so a
/// <c>set</c> inside them does not leak out (templates use <c>namespace()</c> for that); <c>if</c> does not.
/// </summary>
internal sealed class JinjaScope(JinjaScope? parent)
{
    readonly JinjaScope? parent = parent;
    readonly Dictionary<string, object?> vars = new(StringComparer.Ordinal);

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s != null; s = s.parent)
            if (s.vars.TryGetValue(name, out value)) return true;
        value = null;
        return false;
    }

    public void Set(string name, object? value) => vars[name] = value;
}
