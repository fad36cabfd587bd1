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
    public static Random TrialRandom(long seed, int number)
    {
        // SplitMix64 of (seed, number): HashCode.Combine would differ between processes (it is randomised per process).
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)number + 0x5EEDUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return new Random((int)(z & 0x7FFFFFFF));
    }
}
