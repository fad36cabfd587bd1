using System.Text.Json.Nodes;

namespace TuneSharp.Cards;

/// <summary>A folder and the digest it had (a base model, or the fine-tuned model itself).</summary>
public sealed record FolderDigest(string Path, string Sha256, int Files);

/// <summary>A data file a run read: its split, digest, and how many examples of it the run used (after data.limit).</summary>
public sealed record DataDigest(string Split, string Path, string Sha256, int Examples);

/// <summary>A metric on a split, with its 95% bootstrap interval when the task gives per-example predictions.</summary>
public sealed record LineageMetric(string Split, string Name, double Value, double? Low, double? High);

/// <summary>
/// Where a fine-tuned model came from, enough to say later whether anything it depends on has changed: the base
/// model and data by SHA-256, the resolved recipe, the seed, the TuneSharp build (its version carries the git
/// commit), the libraries, the device and the times; then the model's own digest and its metrics. Written as
/// lineage.json beside the weights; <see cref="LineageVerification"/> recomputes the digests.
/// </summary>
public sealed record Lineage
{
    public const string Format = "tunesharp-lineage/1";

    public required FolderDigest BaseModel { get; init; }
    public required FolderDigest Model { get; init; }
    public required IReadOnlyList<DataDigest> Data { get; init; }
    public required string RecipeFile { get; init; }
    /// <summary>The recipe with overrides applied, as the run used it.</summary>
    public required JsonObject Recipe { get; init; }
    public required string Task { get; init; }
    public required string Method { get; init; }
    public required long Seed { get; init; }
    public required string TuneSharpVersion { get; init; }
    public required IReadOnlyDictionary<string, string> Libraries { get; init; }
    public required string Device { get; init; }
    public required DateTimeOffset Started { get; init; }
    public required DateTimeOffset Finished { get; init; }
    public required IReadOnlyList<LineageMetric> Metrics { get; init; }
}
