using Microsoft.Extensions.AI;
using TuneSharp.Inference;
using static TorchSharp.torch;

namespace TuneSharp.ExtensionsAI;

/// <summary>
/// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a <see cref="SentenceEncoder"/> in this process: the
/// folder's own sentence-transformers pooling and normalisation (mean of the hidden states for a folder without
/// them), exactly the vectors <c>tunesharp embed</c> writes. Calls run one at a time (the model is not shared).
/// </summary>
public sealed class TuneSharpEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    readonly SentenceEncoder encoder;
    readonly bool ownsEncoder;
    readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>A generator over a loaded encoder; the caller keeps ownership unless <paramref name="ownsEncoder"/>.</summary>
    public TuneSharpEmbeddingGenerator(SentenceEncoder encoder, string modelId, bool ownsEncoder = false)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        Metadata = new EmbeddingGeneratorMetadata("TuneSharp", null, modelId, encoder.Dimension);
    }

    /// <summary>Loads an encoder or causal LM folder (<see cref="SentenceEncoder.Load"/>); the model id is the folder's name.</summary>
    public static TuneSharpEmbeddingGenerator Load(string dir, Device? device = null) =>
        new(SentenceEncoder.Load(dir, device), new DirectoryInfo(Path.GetFullPath(dir)).Name, ownsEncoder: true);

    /// <summary>Provider "TuneSharp", the model id and the vectors' width.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <inheritdoc/>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToList();
        if (options?.Dimensions is int d && d != encoder.Dimension)
            throw new UserError($"Dimensions: this model's embeddings have {encoder.Dimension} dimensions, got {d}");
        if (options?.ModelId is { } asked && !string.Equals(asked, Metadata.DefaultModelId, StringComparison.Ordinal))
            throw new UserError($"ModelId: this generator serves `{Metadata.DefaultModelId}`, not `{asked}`");
        if (texts.Count == 0) return [];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        float[][] vectors;
        try { vectors = await Task.Run(() => encoder.Embed(texts), cancellationToken).ConfigureAwait(false); }
        finally { gate.Release(); }
        var created = DateTimeOffset.UtcNow;
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v)
        {
            ModelId = Metadata.DefaultModelId, CreatedAt = created,
        }));
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (ownsEncoder) encoder.Dispose();
        gate.Dispose();
    }
}
