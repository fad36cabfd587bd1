using System.Text.Json.Nodes;

namespace TuneSharp.Tuning.Samplers;

/// <summary>Each value uniform over its range (log-uniform on a log scale), independent of the history.</summary>
public sealed class RandomSampler(long seed) : ISampler
{
    public JsonObject Sample(SearchSpace space, IReadOnlyList<TrialRecord> history, int number, Func<string, JsonNode?> lookup)
    {
        var rng = ISampler.TrialRandom(seed, number);
        return space.SampleEach(lookup, p => p.SampleUniform(rng));
    }
}
