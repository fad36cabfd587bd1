using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>Builds the sequence classifier for a config's model type: BERT with its pooler, or a decoder with a score head.</summary>
public static class SequenceClassifiers
{
    /// <summary>
    /// A fresh classifier with <paramref name="labels"/> (weights not loaded). <paramref name="pooling"/> applies to
    /// decoders; null takes the config's saved choice (default "last").
    /// </summary>
    public static IClassifierModel Create(ConfigJson config, IReadOnlyList<string> labels, long padId, Device device, string? pooling = null) =>
        ModelFactory.ModelType(config) == "bert"
            ? new BertSequenceClassifier(BertConfig.From(config) with { id2label = labels }, device,
                pooling: pooling is null ? SequencePooling.FromBertConfig(config) : SequencePooling.CheckBert(pooling, "method.pooling"))
            : new DecoderForSequenceClassification(ModelFactory.CreateCausalLM(config, device), labels.Count, padId,
                config.Double("initializer_range", 0.02), pooling is null ? SequencePooling.FromConfig(config) : SequencePooling.Check(pooling, "method.pooling"));
}
