using TorchSharp;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Gpt2;
using TuneSharp.Models.Llama;
using static TorchSharp.torch;

namespace TuneSharp.Models;

/// <summary>Builds the right model class from a config.json's <c>model_type</c>.</summary>
public static class ModelFactory
{
    /// <summary>The model_type values TuneSharp can build.</summary>
    public static readonly string[] SupportedTypes = ["llama", "mistral", "qwen2", "gpt2", "bert"];

    /// <summary>model_type of a config, validated.</summary>
    public static string ModelType(ConfigJson config)
    {
        var type = config.String("model_type") ?? throw new UserError($"{config.Path}: key 'model_type' is missing");
        if (!SupportedTypes.Contains(type))
            throw new UserError($"{config.Path}: key 'model_type': '{type}' is not supported (supported: {string.Join(", ", SupportedTypes)})");
        return type;
    }

    /// <summary>True for decoder-only families.</summary>
    public static bool IsCausal(string modelType) => modelType is not "bert";

    /// <summary>A causal LM with freshly initialised (or, on the meta device, unallocated) weights.</summary>
    public static ICausalLM CreateCausalLM(ConfigJson config, Device? device = null, ScalarType? dtype = null)
    {
        var type = ModelType(config);
        return type switch
        {
            "llama" or "mistral" or "qwen2" => new LlamaForCausalLM(LlamaConfig.From(config), device, dtype),
            "gpt2" => new Gpt2LMHeadModel(Gpt2Config.From(config), device, dtype),
            _ => throw new UserError($"{config.Path}: key 'model_type': '{type}' is an encoder, not a causal language model"),
        };
    }

    /// <summary>A BERT sequence classifier (BertForSequenceClassification keys).</summary>
    public static BertForSequenceClassification CreateBertClassifier(ConfigJson config, Device? device = null, ScalarType? dtype = null)
    {
        var type = ModelType(config);
        if (type != "bert") throw new UserError($"{config.Path}: key 'model_type': expected 'bert', got '{type}'");
        return new BertForSequenceClassification(BertConfig.From(config), device, dtype);
    }
}
