using System.Text.Json.Nodes;

namespace TuneSharp.Tuning.Samplers;

/// <summary>Proposes the recipe values of a trial from the study's history.</summary>
public interface ISampler
{
    /// <summary>
    /// The values of trial <paramref name="number"/>. <paramref name="lookup"/> gives recipe values (for conditions);
    /// <paramref name="history"/> is every trial of the study so far.
    /// </summary>
    JsonObject Sample(SearchSpace space, IReadOnlyList<TrialRecord> history, int number, Func<string, JsonNode?> lookup);

    /// <summary>How many trials this sampler can propose at most (a grid's size); null when unbounded.</summary>
    int? MaxTrials(SearchSpace space, Func<string, JsonNode?> lookup) => null;

    /// <summary>The sampler the search file (or the command line) names.</summary>
    public static ISampler Create(SamplerSettings s, bool maximize) => s.Name switch
    {
        "random" => new RandomSampler(s.Seed),
        "grid" => new GridSampler(),
        "tpe" => new TpeSampler(s, maximize),
        _ => throw new UserError($"sampler '{s.Name}' must be {string.Join(", ", SamplerSettings.Names)}"),
    };

    /// <summary>
    /// The random generator of one trial, from the study seed and the trial number alone: a trial retried on
    /// another worker, or proposed after a resume, draws the same values.
    /// </summary>
    public static Random TrialRandom(long seed, int number) => new(HashCode.Combine(seed, number, 0x5eed));
}
