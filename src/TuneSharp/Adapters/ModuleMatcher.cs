using System.Text.RegularExpressions;

namespace TuneSharp.Adapters;

/// <summary>
/// PEFT's rules for which module paths a <see cref="LoraConfig"/> selects (peft's <c>check_target_module_exists</c>):
/// exclusions first, never a module to save, then names (exact path or <c>.name</c> suffix, with the
/// <c>layers_to_transform</c> filter) or a regex that must match the whole path.
/// </summary>
internal static class ModuleMatcher
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>A regex from a config, checked up front so a bad one is a user error naming the key.</summary>
    public static void CheckRegex(string source, string key, string pattern)
    {
        try { _ = Full(pattern); }
        catch (ArgumentException e) { throw new UserError($"{source}: key '{key}': invalid regular expression '{pattern}': {e.Message}"); }
    }

    /// <summary>True when <paramref name="path"/> equals <paramref name="name"/> or ends with "." + name.</summary>
    public static bool NameMatches(string path, string name) =>
        string.Equals(path, name, StringComparison.Ordinal) || path.EndsWith("." + name, StringComparison.Ordinal);

    /// <summary>Python's re.fullmatch as a .NET regex.</summary>
    public static Regex Full(string pattern) => new($"^(?:{pattern})\\z", RegexOptions.CultureInvariant, Timeout);

    /// <summary>True when <paramref name="selector"/> selects <paramref name="path"/> (names or regex; not all-linear).</summary>
    public static bool Selects(TargetModules selector, string path) =>
        selector.Pattern is { } p ? Full(p).IsMatch(path) : selector.Names.Any(n => NameMatches(path, n));

    /// <summary>True when the path lies in (or is) one of the modules to save.</summary>
    public static bool InModulesToSave(LoraConfig c, string path) =>
        c.modules_to_save is { } names && names.Any(m =>
            NameMatches(path, m) || path.StartsWith(m + ".", StringComparison.Ordinal) || path.Contains("." + m + ".", StringComparison.Ordinal));

    /// <summary>
    /// The layer filter: the index after the last <c>.name.N.</c> (any name, or one of <c>layers_pattern</c>)
    /// must be in <c>layers_to_transform</c>. PEFT applies it only to name lists, and so does this.
    /// </summary>
    public static bool PassesLayerFilter(LoraConfig c, string path)
    {
        if (c.layers_to_transform is not { Count: > 0 } layers) return true;
        var patterns = c.layers_pattern is { Count: > 0 } lp ? lp.Select(Regex.Escape).ToList() : ["[^.]*"];
        foreach (var p in patterns)
        {
            var m = Regex.Match(path, $"^.*\\.{p}\\.(\\d+)\\.", RegexOptions.CultureInvariant, Timeout);
            if (m.Success) return layers.Contains(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        return false;
    }
}
