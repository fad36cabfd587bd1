using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>Builds the classifier for a config's model type: BERT's own heads, or a decoder body with a linear head.</summary>
public static class Classifiers
{
    /// <summary>
    /// A fresh sequence classifier with <paramref name="labels"/> (weights not loaded). <paramref name="pooling"/> applies to
    /// decoders; null takes the config's saved choice (default "last").
    /// </summary>
    public static IClassifierModel Sequence(ConfigJson config, IReadOnlyList<string> labels, long padId, Device device, string? pooling = null) =>
        ModelFactory.ModelType(config) == "bert"
            ? new BertSequenceClassifier(BertConfig.From(config) with { id2label = labels }, device)
            : new DecoderForSequenceClassification(ModelFactory.CreateCausalLM(config, device), labels.Count, padId,
                config.Double("initializer_range", 0.02), pooling ?? SequencePooling.FromConfig(config));

    /// <summary>A fresh token classifier with <paramref name="labels"/> (weights not loaded).</summary>
    public static IClassifierModel Token(ConfigJson config, IReadOnlyList<string> labels, Device device) =>
        ModelFactory.ModelType(config) == "bert"
            ? new BertForTokenClassification(BertConfig.From(config) with { id2label = labels }, device)
            : new DecoderForTokenClassification(ModelFactory.CreateCausalLM(config, device), labels.Count,
                config.Double("initializer_range", 0.02), DecoderBody.TokenClassifierDropout(config));
}
