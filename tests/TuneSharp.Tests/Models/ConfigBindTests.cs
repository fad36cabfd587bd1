using System.Text.Json.Nodes;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Gpt2;
using TuneSharp.Models.Llama;

namespace TuneSharp.Tests.Models;

/// <summary>The three family configs read config.json through one binder: present keys win, absent keys keep transformers' defaults.</summary>
public class ConfigBindTests
{
    static ConfigJson Config(string json) => new(JsonNode.Parse(json)!.AsObject(), "config.json");

    [Fact]
    public void Gpt2_reads_present_keys_and_keeps_defaults()
    {
        var c = Gpt2Config.From(Config("""{"vocab_size": 50, "n_embd": 8, "n_layer": 2, "n_head": 2, "n_positions": 64, "attn_pdrop": 0.0, "eos_token_id": 3, "n_inner": null}"""));
        Assert.Equal((50, 64, 32, 0.0, 0.1, 1e-5, true), (c.vocab_size, c.n_positions, c.n_inner, c.attn_pdrop, c.resid_pdrop, c.layer_norm_epsilon, c.tie_word_embeddings));
        Assert.Equal([3], c.eos_token_id);
        Assert.Null(c.pad_token_id);
    }

    [Fact]
    public void Llama_defaults_depend_on_the_family()
    {
        var qwen = LlamaConfig.From(Config("""{"model_type": "qwen2", "vocab_size": 50, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2}"""));
        Assert.Equal((2, 4, true, 2048, 0.02), (qwen.num_key_value_heads, qwen.head_dim, qwen.tie_word_embeddings, qwen.max_position_embeddings, qwen.initializer_range));
        var llama = LlamaConfig.From(Config("""{"model_type": "llama", "vocab_size": 50, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 16, "eos_token_id": [1, 2]}"""));
        Assert.Equal((1, 16, false), (llama.num_key_value_heads, llama.head_dim, llama.tie_word_embeddings));
        Assert.Equal([1, 2], llama.eos_token_id);
    }

    [Fact]
    public void Bert_keeps_labels_and_names_a_wrong_type()
    {
        var bert = BertConfig.From(Config("""{"vocab_size": 50, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "id2label": {"0": "neg", "1": "pos", "2": "mixed"}, "classifier_dropout": 0.3}"""));
        Assert.Equal((3, 0.3, 512), (bert.num_labels, bert.classifier_dropout, bert.max_position_embeddings));
        var e = Assert.Throws<UserError>(() => BertConfig.From(Config("""{"vocab_size": 50, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "type_vocab_size": "two"}""")));
        Assert.StartsWith("config.json: key 'type_vocab_size': expected an integer", e.Message);
    }
}
