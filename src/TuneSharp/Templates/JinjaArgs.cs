namespace TuneSharp.Templates;

/// <summary>Positional and keyword arguments as a filter, test, method or global receives them.</summary>
internal sealed class JinjaArgs(List<object?> positional, Dictionary<string, object?> keyword)
{
    public static readonly JinjaArgs Empty = new([], []);

    public List<object?> Positional { get; } = positional;

    public Dictionary<string, object?> Keyword { get; } = keyword;

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>, else the default.</summary>
    public object? Get(int index, string name, object? dflt = null) =>
        index >= 0 && index < Positional.Count ? Positional[index]
        : Keyword.TryGetValue(name, out var v) ? v : dflt;

    public bool Has(int index, string name) => (index >= 0 && index < Positional.Count) || Keyword.ContainsKey(name);

    public string? GetString(int index, string name, string? dflt = null)
    {
        var v = Get(index, name, dflt);
        return v switch
        {
            null => null,
            string s => s,
            JinjaUndefined u => throw u.Fail(),
            _ => throw new JinjaRuntimeException($"argument '{name}' must be a string, not {PyOps.TypeName(v)}"),
        };
    }

    public long GetInt(int index, string name, long dflt)
    {
        var v = Get(index, name, dflt);
        return v switch
        {
            long l => l,
            bool b => b ? 1 : 0,
            null => dflt,
            _ => throw new JinjaRuntimeException($"argument '{name}' must be an integer, not {PyOps.TypeName(v)}"),
        };
    }

    public bool GetBool(int index, string name, bool dflt) => PyOps.Truthy(Get(index, name, dflt));
}
