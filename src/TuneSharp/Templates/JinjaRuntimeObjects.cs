using System.Text;

namespace TuneSharp.Templates;

/// <summary>
/// jinja2's default <c>Undefined</c>: falsy, renders as "", iterates as empty, has length 0; any attribute
/// or item access, call, arithmetic or ordering on it fails with <see cref="Hint"/>.
/// </summary>
internal sealed class JinjaUndefined(string hint)
{
    /// <summary>The message jinja2 would raise, e.g. "'foo' is undefined".</summary>
    public string Hint { get; } = hint;

    public JinjaRuntimeException Fail() => new(Hint);

    public static JinjaUndefined ForName(string name) => new($"'{name}' is undefined");

    public static JinjaUndefined ForAttribute(object? owner, string name) =>
        new($"'{PyOps.TypeName(owner)} object' has no attribute '{name}'");

    public static JinjaUndefined ForItem(object? owner, object? key) =>
        owner is PyDict ? new($"'dict object' has no attribute {PyFormat.Repr(key)}")
        : new($"{PyOps.TypeName(owner)} object has no element {PyFormat.Repr(key)}");
}

/// <summary>The object <c>namespace(...)</c> returns: the one thing <c>{% set ns.x = ... %}</c> may modify.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>A callable value: a global, a bound method, or a macro.</summary>
internal sealed class JinjaFunction(string name, Func<List<object?>, Dictionary<string, object?>, object?> body)
{
    public string Name { get; } = name;

    public object? Invoke(List<object?> args, Dictionary<string, object?> kwargs) => body(args, kwargs);
}

/// <summary>The <c>loop</c> variable of a for loop.</summary>
internal sealed class JinjaLoop(IReadOnlyList<object?> items, int depth0)
{
    object? lastChanged = Unset;
    static readonly object Unset = new();

    public int Index0 { get; set; }

    /// <summary>For a <c>recursive</c> loop: <c>loop(children)</c> renders the loop body over the children.</summary>
    public Func<object?, string>? Recurse { get; set; }

    /// <summary>The value of an attribute such as <c>loop.index</c>, or undefined.</summary>
    public object? Get(string name) => name switch
    {
        "index" => (long)Index0 + 1,
        "index0" => (long)Index0,
        "revindex" => (long)(items.Count - Index0),
        "revindex0" => (long)(items.Count - Index0 - 1),
        "first" => Index0 == 0,
        "last" => Index0 == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => (long)depth0 + 1,
        "depth0" => (long)depth0,
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new JinjaUndefined("there is no previous item"),
        "nextitem" => Index0 + 1 < items.Count ? items[Index0 + 1] : new JinjaUndefined("there is no next item"),
        "cycle" => new JinjaFunction("loop.cycle", (args, _) =>
            args.Count == 0 ? throw new JinjaRuntimeException("no items for cycling given") : args[Index0 % args.Count]),
        "changed" => new JinjaFunction("loop.changed", (args, _) =>
        {
            object? value = args.ToArray();
            if (lastChanged != Unset && PyOps.Equal(lastChanged, value)) return false;
            lastChanged = value;
            return true;
        }),
        _ => JinjaUndefined.ForAttribute(this, name),
    };

    public override string ToString()
    {
        var sb = new StringBuilder("<LoopContext ").Append(Index0 + 1).Append('/').Append(items.Count).Append('>');
        return sb.ToString();
    }
}
