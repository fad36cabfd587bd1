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
