using System.Collections;
using System.Runtime.CompilerServices;

namespace TuneSharp.Adapters;

/// <summary>
/// PEFT's <c>target_modules</c> (and <c>exclude_modules</c>): either a list of names, each matching a module whose
/// path equals it or ends with <c>"." + name</c> (so <c>"q_proj"</c> matches <c>model.layers.0.self_attn.q_proj</c>),
/// or one regular expression that must match the whole module path, or the shorthand <c>"all-linear"</c>.
/// Written as a collection (<c>["q_proj", "v_proj"]</c>) for names or as a string for a pattern, as in PEFT.
/// </summary>
[CollectionBuilder(typeof(TargetModules), nameof(Create))]
public sealed class TargetModules : IEnumerable<string>, IEquatable<TargetModules>
{
    /// <summary>PEFT's shorthand for every Linear (and Conv1D) layer except the output layer (<c>lm_head</c>).</summary>
    public const string AllLinear = "all-linear";

    TargetModules(IReadOnlyList<string> names, string? pattern) { Names = names; Pattern = pattern; }

    /// <summary>The names to match (empty when <see cref="Pattern"/> is set).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>A regular expression matched against the whole module path, or <see cref="AllLinear"/>; null for a name list.</summary>
    public string? Pattern { get; }

    /// <summary>True for the <c>"all-linear"</c> shorthand.</summary>
    public bool IsAllLinear => string.Equals(Pattern, AllLinear, StringComparison.Ordinal);

    /// <summary>A list of names (what a collection expression builds).</summary>
    public static TargetModules Create(ReadOnlySpan<string> names) => new(names.ToArray(), null);

    /// <summary>A list of names.</summary>
    public static TargetModules FromNames(IEnumerable<string> names) => new(names.ToArray(), null);

    /// <summary>A regular expression (full match on the module path) or <see cref="AllLinear"/>.</summary>
    public static TargetModules FromPattern(string pattern) => new([], pattern);

    /// <summary>A string is a pattern, as in PEFT (<c>target_modules=".*\.q_proj"</c>).</summary>
    public static implicit operator TargetModules(string pattern) => FromPattern(pattern);

    /// <summary>Enumerates <see cref="Names"/>.</summary>
    public IEnumerator<string> GetEnumerator() => Names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same pattern, or the same set of names (PEFT keeps them in a set, so order does not matter).</summary>
    public bool Equals(TargetModules? other) =>
        other is not null && string.Equals(Pattern, other.Pattern, StringComparison.Ordinal)
        && Names.ToHashSet(StringComparer.Ordinal).SetEquals(other.Names);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TargetModules);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        Names.Distinct(StringComparer.Ordinal).Aggregate(StringComparer.Ordinal.GetHashCode(Pattern ?? ""), (h, n) => h ^ StringComparer.Ordinal.GetHashCode(n));

    /// <summary>The pattern, or the names joined by ", ".</summary>
    public override string ToString() => Pattern ?? string.Join(", ", Names);
}
