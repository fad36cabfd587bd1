using System.Text;
using TuneSharp.Text;

namespace TuneSharp.Templates;

/// <summary>
/// Python methods templates call on values: <c>str.strip()</c>, <c>dict.items()</c>, <c>list.index()</c>...
/// Mutating methods are refused as jinja2's <c>ImmutableSandboxedEnvironment</c> (which HF uses) refuses them.
/// </summary>
internal static class JinjaMethods
{
    static readonly HashSet<string> MutatingList = ["append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"];
    static readonly HashSet<string> MutatingDict = ["pop", "popitem", "setdefault", "update", "clear"];

    /// <summary>Binds method <paramref name="name"/> of <paramref name="obj"/>, when it has one.</summary>
    public static bool TryBind(object? obj, string name, out object? method)
    {
        method = obj switch
        {
            string s => StringMethod(s, name),
            PyDict d => DictMethod(d, name),
            List<object?> l => ListMethod(l, name),
            object?[] t => ListMethod(t, name),
            _ => null,
        };
        return method != null;
    }

    static JinjaFunction Fn(string name, Func<JinjaArgs, object?> body) =>
        new(name, (args, kwargs) => body(new JinjaArgs(args, kwargs)));

    static JinjaUndefined Unsafe(object obj, string name) =>
        new($"access to attribute '{name}' of '{PyOps.TypeName(obj)}' object is unsafe.");

    static object? DictMethod(PyDict d, string name) => name switch
    {
        "items" => Fn("dict.items", _ => d.Items.Select(kv => (object?)new object?[] { kv.Key, kv.Value }).ToList()),
        "keys" => Fn("dict.keys", _ => d.Keys.Select(k => (object?)k).ToList()),
        "values" => Fn("dict.values", _ => d.Items.Select(kv => kv.Value).ToList()),
        "get" => Fn("dict.get", a => d.TryGet(a.Get(0, "key"), out var v) ? v : a.Get(1, "default")),
        "copy" => Fn("dict.copy", _ =>
        {
            var copy = new PyDict();
            foreach (var kv in d.Items) copy[kv.Key] = kv.Value;
            return copy;
        }),
        _ when MutatingDict.Contains(name) => Unsafe(d, name),
        _ => null,
    };

    static object? ListMethod(IReadOnlyList<object?> l, string name) => name switch
    {
        "count" => Fn("list.count", a => (long)l.Count(x => PyOps.Equal(x, a.Get(0, "value")))),
        "index" => Fn("list.index", a =>
        {
            for (int i = 0; i < l.Count; i++)
                if (PyOps.Equal(l[i], a.Get(0, "value"))) return (long)i;
            throw new JinjaRuntimeException($"{PyFormat.Repr(a.Get(0, "value"))} is not in list");
        }),
        _ when l is List<object?> && MutatingList.Contains(name) => Unsafe(l, name),
        _ => null,
    };

    static object? StringMethod(string s, string name) => name switch
    {
        "strip" => Fn("str.strip", a => PyText.Strip(s, a.GetString(0, "chars"))),
        "lstrip" => Fn("str.lstrip", a => PyText.LStrip(s, a.GetString(0, "chars"))),
        "rstrip" => Fn("str.rstrip", a => PyText.RStrip(s, a.GetString(0, "chars"))),
        "split" => Fn("str.split", a => PyText.Split(s, Separator(a), a.GetInt(1, "maxsplit", -1))),
        "rsplit" => Fn("str.rsplit", a => PyText.RSplit(s, Separator(a), a.GetInt(1, "maxsplit", -1))),
        "splitlines" => Fn("str.splitlines", a => SplitLines(s, a.GetBool(0, "keepends", false))),
        "startswith" => Fn("str.startswith", a => Affix(s, a, (x, p) => x.StartsWith(p, StringComparison.Ordinal))),
        "endswith" => Fn("str.endswith", a => Affix(s, a, (x, p) => x.EndsWith(p, StringComparison.Ordinal))),
        "upper" => Fn("str.upper", _ => s.ToUpperInvariant()),
        "lower" => Fn("str.lower", _ => s.ToLowerInvariant()),
        "title" => Fn("str.title", _ => PyText.Title(s)),
        "capitalize" => Fn("str.capitalize", _ => PyText.Capitalize(s)),
        "replace" => Fn("str.replace", a =>
            PyText.Replace(s, a.GetString(0, "old") ?? "", a.GetString(1, "new") ?? "", a.GetInt(2, "count", -1))),
        "find" => Fn("str.find", a => (long)s.IndexOf(a.GetString(0, "sub") ?? "", StringComparison.Ordinal)),
        "rfind" => Fn("str.rfind", a => (long)s.LastIndexOf(a.GetString(0, "sub") ?? "", StringComparison.Ordinal)),
        "count" => Fn("str.count", a => CountOccurrences(s, a.GetString(0, "sub") ?? "")),
        "join" => Fn("str.join", a => string.Join(s, PyOps.Iterate(a.Get(0, "iterable")).Select(x =>
            x as string ?? throw new JinjaRuntimeException($"sequence item: expected str instance, {PyOps.TypeName(x)} found")))),
        "isdigit" => Fn("str.isdigit", _ => s.Length > 0 && s.All(char.IsDigit)),
        "isalpha" => Fn("str.isalpha", _ => s.Length > 0 && s.All(char.IsLetter)),
        "isalnum" => Fn("str.isalnum", _ => s.Length > 0 && s.All(char.IsLetterOrDigit)),
        "isspace" => Fn("str.isspace", _ => s.Length > 0 && s.All(PyText.IsSpace)),
        "islower" => Fn("str.islower", _ => s.Any(char.IsLower) && !s.Any(char.IsUpper)),
        "isupper" => Fn("str.isupper", _ => s.Any(char.IsUpper) && !s.Any(char.IsLower)),
        "format" => Fn("str.format", a => Format(s, a)),
        _ => null,
    };

    /// <summary>split/rsplit's sep argument; Python raises ValueError on an empty one.</summary>
    static string? Separator(JinjaArgs a) =>
        a.GetString(0, "sep") is "" ? throw new JinjaRuntimeException("empty separator") : a.GetString(0, "sep");

    static bool Affix(string s, JinjaArgs a, Func<string, string, bool> test)
    {
        var affix = a.Get(0, "prefix");
        long? start = a.Get(1, "start") as long?, end = a.Get(2, "end") as long?;
        string part = start != null || end != null ? PyText.Slice(s, start, end, null) : s;
        return affix switch
        {
            string p => test(part, p),
            object?[] options => options.Any(o => o is string p && test(part, p)),
            _ => throw new JinjaRuntimeException($"startswith/endswith first arg must be str or a tuple of str, not {PyOps.TypeName(affix)}"),
        };
    }

    static long CountOccurrences(string s, string sub)
    {
        if (sub.Length == 0) return PyText.Length(s) + 1;
        long n = 0;
        for (int i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    static List<object?> SplitLines(string s, bool keepEnds)
    {
        var lines = new List<object?>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is not ('\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')) continue;
            int end = i;
            if (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n') i++;
            lines.Add(keepEnds ? s[start..(i + 1)] : s[start..end]);
            start = i + 1;
        }
        if (start < s.Length) lines.Add(s[start..]);
        return lines;
    }

    /// <summary>Python <c>str.format</c> with positional/keyword fields and no format specs.</summary>
    static string Format(string format, JinjaArgs a)
    {
        var sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '{' && i + 1 < format.Length && format[i + 1] == '{') { sb.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < format.Length && format[i + 1] == '}') { sb.Append('}'); i++; continue; }
            if (c != '{')
            {
                sb.Append(c);
                continue;
            }
            int close = format.IndexOf('}', i);
            if (close < 0) throw new JinjaRuntimeException("Single '{' encountered in format string");
            string field = format[(i + 1)..close];
            if (field.Contains(':') || field.Contains('!')) throw new JinjaRuntimeException("format specs in str.format are not supported");
            object? value;
            if (field.Length == 0) value = a.Get(auto++, "\0");
            else if (int.TryParse(field, out int index)) value = a.Get(index, "\0");
            else if (!a.Keyword.TryGetValue(field, out value)) throw new JinjaRuntimeException($"KeyError: '{field}'");
            sb.Append(PyFormat.Str(value));
            i = close;
        }
        return sb.ToString();
    }
}
