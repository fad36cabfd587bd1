using System.Text.Json;
using System.Text.Json.Serialization;

namespace TuneSharp.Training;

/// <summary>
/// Everything besides tensors that a resumed run needs to continue exactly: the data position
/// (epoch, next batch), counters, early-stopping state and the torch RNG state (dropout masks).
/// Stored as trainer_state.json in each checkpoint.
/// </summary>
public sealed record TrainerState
{
    [JsonPropertyName("global_step")] public int GlobalStep { get; init; }
    [JsonPropertyName("epoch")] public int Epoch { get; init; }
    /// <summary>Index of the next micro-batch within the epoch.</summary>
    [JsonPropertyName("next_batch")] public int NextBatch { get; init; }
    [JsonPropertyName("best_metric")] public double? BestMetric { get; init; }
    [JsonPropertyName("best_step")] public int? BestStep { get; init; }
    [JsonPropertyName("evals_without_improvement")] public int EvalsWithoutImprovement { get; init; }
    [JsonPropertyName("skipped_steps")] public int SkippedSteps { get; init; }
    [JsonPropertyName("non_finite_in_a_row")] public int NonFiniteInARow { get; init; }
    [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }
    /// <summary>torch's CPU generator state, base64.</summary>
    [JsonPropertyName("torch_rng_state")] public string TorchRngState { get; init; } = "";

    static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, json);

    public static TrainerState Read(string path)
    {
        try { return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path)) ?? throw new UserError($"{path}: empty trainer state"); }
        catch (JsonException e) { throw new UserError($"{path}: invalid trainer state: {e.Message}"); }
    }
}
