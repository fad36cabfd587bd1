using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>Builds the classifier for a config's model type: BERT's own heads, or a decoder body with a linear head.</summary>
public static class Classifiers
{
    /// <summary>
    /// A fresh sequence classifier with <paramref name="labels"/> (weights not loaded). <paramref name="pooling"/>: decoders
    /// last | mean, BERT pooler | cls | mean; null takes the config's saved choice (default "last", BERT "pooler").
    /// </summary>
    public static IClassifierModel Sequence(ConfigJson config, IReadOnlyList<string> labels, long padId, Device device, string? pooling = null) =>
        ModelFactory.ModelType(config) == "bert"
            ? new BertSequenceClassifier(BertConfig.From(config) with { id2label = labels }, device,
                pooling: pooling is null ? SequencePooling.FromBertConfig(config) : SequencePooling.CheckBert(pooling, "method.pooling"))
            : new DecoderForSequenceClassification(ModelFactory.CreateCausalLM(config, device), labels.Count, padId,
                config.Double("initializer_range", 0.02), pooling is null ? SequencePooling.FromConfig(config) : SequencePooling.Check(pooling, "method.pooling"));

    /// <summary>A fresh token classifier with <paramref name="labels"/> (weights not loaded).</summary>
    public static IClassifierModel Token(ConfigJson config, IReadOnlyList<string> labels, Device device) =>
        ModelFactory.ModelType(config) == "bert"
            ? new BertForTokenClassification(BertConfig.From(config) with { id2label = labels }, device)
            : new DecoderForTokenClassification(ModelFactory.CreateCausalLM(config, device), labels.Count,
                config.Double("initializer_range", 0.02), DecoderBody.TokenClassifierDropout(config));
}
