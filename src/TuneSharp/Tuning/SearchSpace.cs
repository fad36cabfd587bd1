using System.Globalization;
using System.Text.Json.Nodes;

namespace TuneSharp.Tuning;

/// <summary>
/// A hyperparameter search as its YAML file describes it: the recipe, the searched keys in the order they are
/// sampled, the keys fixed for every trial (e.g. fewer steps than the recipe), the objective and the budget.
/// </summary>
public sealed record SearchSpace
{
    /// <summary>Absolute path of the search file.</summary>
    public required string File { get; init; }
    /// <summary>Absolute path of the recipe every trial runs.</summary>
    public required string Recipe { get; init; }
    public required string StudyName { get; init; }
    /// <summary>Trials in the study (all states count: a study never grows past this).</summary>
    public required int Trials { get; init; }
    /// <summary>Validation metric that is the trial's objective (best value over the run's evaluations).</summary>
    public required string Metric { get; init; }
    /// <summary>True to maximize the metric.</summary>
    public required bool Maximize { get; init; }
    public required IReadOnlyList<ParamSpec> Params { get; init; }
    /// <summary>Recipe key → value applied to every trial before the sampled values.</summary>
    public required IReadOnlyList<KeyValuePair<string, JsonNode?>> Fixed { get; init; }
    public required SamplerSettings Sampler { get; init; }
    public required PrunerSettings Pruner { get; init; }

    /// <summary>
    /// Chooses a value for each active parameter in declaration order. A parameter whose condition does not hold
    /// (given <paramref name="lookup"/> for recipe keys and the values chosen before it) is left out.
    /// </summary>
    public JsonObject SampleEach(Func<string, JsonNode?> lookup, Func<ParamSpec, JsonNode> pick)
    {
        var chosen = new JsonObject();
        foreach (var p in Params)
            if (IsActive(p, chosen, lookup)) chosen[p.Key] = pick(p);
        return chosen;
    }

    /// <summary>True when <paramref name="p"/>'s condition holds for the values chosen so far.</summary>
    public static bool IsActive(ParamSpec p, JsonObject chosen, Func<string, JsonNode?> lookup)
    {
        if (p.When is null) return true;
        var value = chosen.ContainsKey(p.When.Key) ? chosen[p.When.Key] : lookup(p.When.Key);
        return p.When.Values.Contains(ParamSpec.Text(value), StringComparer.Ordinal);
    }

    /// <summary>The recipe overrides of one trial: the fixed keys, then its sampled values.</summary>
    public IReadOnlyList<string> Overrides(JsonObject sampled) =>
        Fixed.Select(kv => $"{kv.Key}={OverrideText(kv.Value)}")
            .Concat(sampled.Select(kv => $"{kv.Key}={OverrideText(kv.Value)}")).ToList();

    /// <summary>A value as RecipeLoader's key=value syntax reads it back (lists as [a, b]).</summary>
    public static string OverrideText(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray a => "[" + string.Join(", ", a.Select(OverrideText)) + "]",
        JsonValue v when v.TryGetValue(out long l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out bool b) => b ? "true" : "false",
        _ => ParamSpec.Text(value),
    };
}
