using Microsoft.Extensions.AI;
using TuneSharp.ExtensionsAI;
using TuneSharp.Inference;
using TuneSharp.Models.Import;

namespace TuneSharp.Tests.ExtensionsAI;

public sealed class EmbeddingGeneratorTests
{
    static readonly string[] Texts = ["A tiny model", "Fine-tuning adapts a pre-trained model to a task.", "é and 中文"];

    [Fact]
    public Task A_causal_lm_folders_embeddings_equal_the_sentence_encoders() =>
        AssertSameAsSentenceEncoder(Fixtures.HfTiny("tiny-llama"), "tiny-llama");

    [Fact]
    public async Task An_imported_minilm_folders_embeddings_equal_the_sentence_encoders()
    {
        // A real sentence-transformers folder (mean pooling, then L2 normalisation), imported from its NuGet package.
        var package = PretrainedEncoders.All.Single(p => p.Name == "minilm");
        var dir = Path.Combine(Path.GetTempPath(), $"tunesharp-meai-{Guid.NewGuid():N}", "minilm");
        try
        {
            EncoderImport.FromAssembly(package, NuGetPackages.Locate(package), dir);
            await AssertSameAsSentenceEncoder(dir, "minilm");
        }
        finally { Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true); }
    }

    static async Task AssertSameAsSentenceEncoder(string dir, string fixture)
    {
        using IEmbeddingGenerator<string, Embedding<float>> generator = TuneSharpEmbeddingGenerator.Load(dir);
        using var encoder = SentenceEncoder.Load(dir);
        var expected = encoder.Embed(Texts);

        var embeddings = await generator.GenerateAsync(Texts);

        Assert.Equal(Texts.Length, embeddings.Count);
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(encoder.Dimension, embeddings[i].Dimensions);
            Assert.Equal(expected[i], embeddings[i].Vector.ToArray());
            Assert.Equal(fixture, embeddings[i].ModelId);
        }
        var single = await generator.GenerateVectorAsync(Texts[1]);
        Assert.Equal(expected[1], single.ToArray());
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(encoder.Dimension, metadata.DefaultModelDimensions);
        Assert.Equal("TuneSharp", metadata.ProviderName);
    }

    [Fact]
    public async Task Wrong_dimensions_or_model_id_are_one_user_error_naming_the_option()
    {
        using IEmbeddingGenerator<string, Embedding<float>> generator = TuneSharpEmbeddingGenerator.Load(Fixtures.HfTiny("tiny-llama"));
        int width = generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions!.Value;
        var e = await Assert.ThrowsAsync<UserError>(() => generator.GenerateAsync(Texts, new EmbeddingGenerationOptions { Dimensions = width + 1 }));
        Assert.StartsWith("Dimensions:", e.Message, StringComparison.Ordinal);
        var m = await Assert.ThrowsAsync<UserError>(() => generator.GenerateAsync(Texts, new EmbeddingGenerationOptions { ModelId = "other" }));
        Assert.StartsWith("ModelId:", m.Message, StringComparison.Ordinal);
        Assert.Empty(await generator.GenerateAsync([]));
    }
}
