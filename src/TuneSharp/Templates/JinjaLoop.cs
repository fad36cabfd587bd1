using System.Text;

namespace TuneSharp.Templates;

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
