namespace TuneSharp.Templates;

/// <summary>jinja2's tests: <c>x is defined</c>, <c>x is string</c>, <c>x is equalto y</c>...</summary>
internal static class JinjaTests
{
    static readonly Dictionary<string, Func<object?, JinjaArgs, bool>> Tests = new(StringComparer.Ordinal)
    {
        ["defined"] = (v, _) => v is not JinjaUndefined,
        ["undefined"] = (v, _) => v is JinjaUndefined,
        ["none"] = (v, _) => v == null,
        ["boolean"] = (v, _) => v is bool,
        ["true"] = (v, _) => v is true,
        ["false"] = (v, _) => v is false,
        ["integer"] = (v, _) => v is long,
        ["float"] = (v, _) => v is double,
        // Python's bool is a Number, so "True is number" holds as in jinja2.
        ["number"] = (v, _) => v is long or double or bool,
        ["string"] = (v, _) => v is string,
        ["mapping"] = (v, _) => v is PyDict,
        ["iterable"] = (v, _) => v is string or List<object?> or object?[] or PyDict or JinjaUndefined or JinjaNamespace,
        // jinja2: anything with len() and [] — strings and dicts included.
        ["sequence"] = (v, _) => v is string or List<object?> or object?[] or PyDict,
        ["callable"] = (v, _) => v is JinjaFunction || v is JinjaLoop { Recurse: not null },
        ["odd"] = (v, _) => AsInt(v) % 2 != 0,
        ["even"] = (v, _) => AsInt(v) % 2 == 0,
        ["divisibleby"] = (v, a) => AsInt(v) % AsInt(a.Get(0, "num")) == 0,
        ["eq"] = Eq,
        ["equalto"] = Eq,
        ["=="] = Eq,
        ["ne"] = (v, a) => !PyOps.Equal(v, a.Get(0, "other")),
        ["!="] = (v, a) => !PyOps.Equal(v, a.Get(0, "other")),
        ["lt"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<") < 0,
        ["<"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<") < 0,
        ["le"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<=") <= 0,
        ["<="] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<=") <= 0,
        ["gt"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">") > 0,
        ["greaterthan"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">") > 0,
        [">"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">") > 0,
        ["ge"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">=") >= 0,
        [">="] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">=") >= 0,
        ["lessthan"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<") < 0,
        ["in"] = (v, a) => PyOps.Contains(a.Get(0, "seq"), v),
        ["sameas"] = (v, a) => SameAs(v, a.Get(0, "other")),
        ["lower"] = (v, _) => v is string s && s == s.ToLowerInvariant(),
        ["upper"] = (v, _) => v is string s && s == s.ToUpperInvariant(),
        // Autoescaping is off, so nothing is ever marked safe.
        ["escaped"] = (_, _) => false,
        ["filter"] = (v, _) => v is string name && JinjaFilters.Exists(name),
        ["test"] = (v, _) => v is string name && Exists(name),
    };

    static bool Eq(object? v, JinjaArgs a) => PyOps.Equal(v, a.Get(0, "other"));

    /// <summary>Python <c>is</c>: identity for None and bools (singletons), value identity for small values.</summary>
    static bool SameAs(object? a, object? b) => a switch
    {
        null => b == null,
        bool x => b is bool y && x == y,
        long x => b is long y && x == y,
        string x => b is string y && x == y,
        _ => ReferenceEquals(a, b),
    };

    static long AsInt(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d when d == Math.Floor(d) => (long)d,
        JinjaUndefined u => throw u.Fail(),
        _ => throw new JinjaRuntimeException($"expected an integer, not {PyOps.TypeName(v)}"),
    };

    public static bool Exists(string name) => Tests.ContainsKey(name);

    /// <summary>Runs test <paramref name="name"/>; an unknown test is an error, as in jinja2.</summary>
    public static bool Apply(string name, object? value, JinjaArgs args)
    {
        if (!Tests.TryGetValue(name, out var test)) throw new JinjaRuntimeException($"No test named '{name}'.");
        return test(value, args);
    }
}
