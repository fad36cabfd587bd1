namespace TuneSharp.Templates;

/// <summary>The object <c>namespace(...)</c> returns: the one thing <c>{% set ns.x = ... %}</c> may modify.</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
