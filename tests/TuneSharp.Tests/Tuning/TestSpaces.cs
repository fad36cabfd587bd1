using System.Text.Json.Nodes;
using TuneSharp.Tuning;

namespace TuneSharp.Tests.Tuning;

/// <summary>Search spaces built in code, for sampler, pruner and runner tests that need no recipe.</summary>
static class TestSpaces
{
    public static SearchSpace Of(string name, IReadOnlyList<ParamSpec> ps, SamplerSettings? sampler = null, PrunerSettings? pruner = null, int trials = 20, bool maximize = false) => new()
    {
        File = "/nonexistent/" + name + ".search.yaml",
        Recipe = "/nonexistent/recipe.yaml",
        StudyName = name,
        Trials = trials,
        Metric = "f",
        Maximize = maximize,
        Params = ps,
        Fixed = [],
        Sampler = sampler ?? new SamplerSettings(),
        Pruner = pruner ?? new PrunerSettings { Name = "none" },
    };

    /// <summary>Two floats in [-5, 5]: x and y of a shifted quadratic.</summary>
    public static SearchSpace Quadratic(SamplerSettings sampler, int trials) =>
        Of("quadratic", [new FloatParam("x", null, -5, 5, false, null, 4), new FloatParam("y", null, -5, 5, false, null, 4)], sampler, trials: trials);

    /// <summary>(x - 1.3)² + (y + 0.7)²: minimum 0 at (1.3, -0.7).</summary>
    public static double ShiftedQuadratic(JsonObject p) =>
        Math.Pow(p["x"]!.GetValue<double>() - 1.3, 2) + Math.Pow(p["y"]!.GetValue<double>() + 0.7, 2);

    public static TrialRecord Trial(int number, TrialState state, double? value, JsonObject? ps = null, Dictionary<int, double>? steps = null) => new()
    {
        Id = number + 1,
        Number = number,
        State = state,
        Value = value,
        Params = ps ?? [],
        Intermediate = new SortedDictionary<int, double>(steps ?? []),
    };
}
