using System.Text.RegularExpressions;
using TorchSharp;
using TuneSharp.Adapters;
using TuneSharp.IO.Gguf;
using TuneSharp.Models.Llama;
using static TorchSharp.torch;

namespace TuneSharp.Models.Export;

/// <summary>
/// Exports a Llama- or Qwen2-family Hugging Face folder (optionally with a LoRA adapter merged in) as one GGUF file
/// that llama.cpp runs, following convert_hf_to_gguf.py: llama.cpp's tensor names and hyperparameter keys, the
/// tokenizer and chat template in the metadata, Q/K rows permuted for the llama architecture.
/// </summary>
public static partial class GgufExport
{
    /// <summary>The Hugging Face model_type → llama.cpp architecture names this export supports.</summary>
    static readonly Dictionary<string, string> Architectures = new() { ["llama"] = "llama", ["qwen2"] = "qwen2" };

    /// <summary>Loads <paramref name="modelDir"/>, merges <paramref name="adapterDir"/> when given, and writes <paramref name="outPath"/>.</summary>
    public static void Export(string modelDir, string? adapterDir, string outPath, GgufOutType outType)
    {
        if (Directory.Exists(outPath)) throw new UserError($"--out: {outPath} is a folder; a gguf export writes one file (e.g. {Path.Combine(outPath, "model.gguf")})");
        var config = Pretrained.Config(modelDir);
        Architecture(config); // fail before loading weights
        if (Adapters.PromptTuning.PromptTuningModel.SavedPromptLength(config) > 0)
            throw new UserError($"{config.Path}: key '{Adapters.PromptTuning.PromptTuningModel.ModelConfigKey}': a prompt-tuned model cannot be exported to GGUF (a soft prompt is not a weight llama.cpp knows, and it cannot be merged); export the base model and ship adapter/ for PEFT");
        using var lm = Pretrained.LoadCausalLM(modelDir, CPU);
        var module = adapterDir is null ? lm.Module : LoraModel.Load(lm.Module, adapterDir).MergeAndUnload();
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDir)));
        Build(module, config, modelDir, outType, name).Write(outPath);
    }

    /// <summary>The llama.cpp architecture for a config.json, or a <see cref="UserError"/> for a family GGUF export does not cover.</summary>
    public static string Architecture(ConfigJson config)
    {
        var type = config.String("model_type") ?? "(none)";
        return Architectures.TryGetValue(type, out var arch) ? arch
            : throw new UserError($"{config.Path}: gguf export supports llama and qwen2 models, not model_type '{type}'");
    }

    /// <summary>Builds the GGUF (metadata and lazily converted tensors) for a loaded module with Hugging Face key names.</summary>
    public static GgufWriter Build(nn.Module module, ConfigJson configJson, string tokenizerDir, GgufOutType outType, string name)
    {
        var arch = Architecture(configJson);
        var c = LlamaConfig.From(configJson);
        var gguf = new GgufWriter();
        gguf.Add("general.architecture", arch);
        gguf.Add("general.name", name);
        gguf.Add("general.file_type", outType.FileType());
        gguf.Add("general.quantization_version", 2u);
        gguf.Add($"{arch}.vocab_size", (uint)c.vocab_size);
        gguf.Add($"{arch}.context_length", (uint)c.max_position_embeddings);
        gguf.Add($"{arch}.embedding_length", (uint)c.hidden_size);
        gguf.Add($"{arch}.block_count", (uint)c.num_hidden_layers);
        gguf.Add($"{arch}.feed_forward_length", (uint)c.intermediate_size);
        gguf.Add($"{arch}.attention.head_count", (uint)c.num_attention_heads);
        gguf.Add($"{arch}.attention.head_count_kv", (uint)c.num_key_value_heads);
        gguf.Add($"{arch}.attention.key_length", (uint)c.head_dim);
        gguf.Add($"{arch}.attention.value_length", (uint)c.head_dim);
        gguf.Add($"{arch}.attention.layer_norm_rms_epsilon", (float)c.rms_norm_eps);
        gguf.Add($"{arch}.rope.dimension_count", (uint)c.head_dim);
        gguf.Add($"{arch}.rope.freq_base", (float)c.rope.RopeTheta);
        AddRopeScaling(gguf, arch, c, configJson);
        GgufTokenizer.AddTo(gguf, tokenizerDir, c.vocab_size);

        foreach (var (key, tensor) in module.state_dict())
        {
            if (key.Contains("rotary_emb")) continue; // a buffer recomputed from the config, not a weight
            if (key == "lm_head.weight" && c.tie_word_embeddings) continue; // llama.cpp reuses token_embd
            var ggufName = TensorName(key) ?? throw new UserError($"{configJson.Path}: gguf export: tensor '{key}' has no llama.cpp name");
            var shape = tensor.shape;
            // llama.cpp's llama architecture applies RoPE to adjacent pairs (GGML "normal" rope) where Hugging Face's
            // rotate_half pairs i with i + head_dim/2: permute the rows of q/k (weights and biases) per head to match.
            // qwen2 uses the "neox" rope, the same pairing as Hugging Face, so its rows stay as they are.
            int? permuteHeads = arch != "llama" ? null
                : ggufName.Contains(".attn_q.", StringComparison.Ordinal) ? c.num_attention_heads
                : ggufName.Contains(".attn_k.", StringComparison.Ordinal) ? c.num_key_value_heads
                : null;
            var type = TensorType(shape, outType);
            var source = tensor;
            gguf.AddTensor(ggufName, shape, type, () =>
            {
                var values = Floats(source);
                if (permuteHeads is int heads)
                    values = PermuteRows(values, (int)shape[0], shape.Length == 2 ? (int)shape[1] : 1, heads);
                return Encode(values, type);
            });
        }
        return gguf;
    }

    /// <summary>f32 for 1-D tensors; the out type for 2-D weights, with f16 for Q8_0 when a row is not a whole number of blocks.</summary>
    public static GgufTensorType TensorType(long[] shape, GgufOutType outType) => (shape.Length, outType) switch
    {
        (< 2, _) or (_, GgufOutType.F32) => GgufTensorType.F32,
        (_, GgufOutType.F16) => GgufTensorType.F16,
        _ => shape[^1] % Q8_0.BlockSize == 0 ? GgufTensorType.Q8_0 : GgufTensorType.F16,
    };

    /// <summary>
    /// Reorders the rows of a (heads·head_dim, cols) projection from Hugging Face's rotate_half layout to GGML's
    /// interleaved one, as convert_hf_to_gguf.py's permute: within each head, row i·(head_dim/2) + j moves to 2j + i
    /// (i ∈ {0, 1}, j &lt; head_dim/2), so the rotated pairs (j, j + head_dim/2) become adjacent.
    /// </summary>
    public static float[] PermuteRows(float[] values, int rows, int cols, int heads)
    {
        if (rows % heads != 0 || rows / heads % 2 != 0) throw new ArgumentException($"{rows} rows do not split into {heads} heads of even size");
        int headDim = rows / heads, half = headDim / 2;
        var result = new float[values.Length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < half; j++)
                    Array.Copy(values, (long)(h * headDim + i * half + j) * cols, result, (long)(h * headDim + 2 * j + i) * cols, cols);
        return result;
    }

    /// <summary>The llama.cpp tensor name for a Hugging Face Llama/Qwen2 key, or null when there is none.</summary>
    public static string? TensorName(string key)
    {
        switch (key)
        {
            case "model.embed_tokens.weight": return "token_embd.weight";
            case "model.norm.weight": return "output_norm.weight";
            case "lm_head.weight": return "output.weight";
        }
        var m = LayerKey().Match(key);
        if (!m.Success) return null;
        string? part = m.Groups[2].Value switch
        {
            "input_layernorm" => "attn_norm",
            "self_attn.q_proj" => "attn_q",
            "self_attn.k_proj" => "attn_k",
            "self_attn.v_proj" => "attn_v",
            "self_attn.o_proj" => "attn_output",
            "post_attention_layernorm" => "ffn_norm",
            "mlp.gate_proj" => "ffn_gate",
            "mlp.up_proj" => "ffn_up",
            "mlp.down_proj" => "ffn_down",
            _ => null,
        };
        return part is null ? null : $"blk.{m.Groups[1].Value}.{part}.{m.Groups[3].Value}";
    }

    [GeneratedRegex(@"^model\.layers\.(\d+)\.(.+)\.(weight|bias)$")]
    private static partial Regex LayerKey();

    /// <summary>
    /// RoPE scaling as llama.cpp reads it: linear as rope.scaling.type/factor; llama3 as a rope_freqs tensor of
    /// per-frequency divisors (head_dim/2), computed as convert_hf_to_gguf.py does.
    /// </summary>
    static void AddRopeScaling(GgufWriter gguf, string arch, LlamaConfig c, ConfigJson configJson)
    {
        var rope = c.rope;
        switch (rope.RopeType)
        {
            case "default": return;
            case "linear":
                gguf.Add($"{arch}.rope.scaling.type", "linear");
                gguf.Add($"{arch}.rope.scaling.factor", (float)rope.Factor);
                return;
            case "llama3":
                var factors = new float[c.head_dim / 2];
                double lowWavelen = rope.OriginalMaxPositionEmbeddings / rope.LowFreqFactor;
                double highWavelen = rope.OriginalMaxPositionEmbeddings / rope.HighFreqFactor;
                for (int i = 0; i < factors.Length; i++)
                {
                    // float32 like the converter's torch.arange(...)/dim and base ** that.
                    float freq = 1f / MathF.Pow((float)rope.RopeTheta, 2f * i / c.head_dim);
                    double wavelen = 2 * Math.PI / freq;
                    factors[i] = wavelen < highWavelen ? 1f
                        : wavelen > lowWavelen ? (float)rope.Factor
                        : (float)(1 / ((1 - Smooth(wavelen)) / rope.Factor + Smooth(wavelen)));
                }
                gguf.AddTensor("rope_freqs.weight", [factors.Length], GgufTensorType.F32, () => Encode(factors, GgufTensorType.F32));
                return;
                double Smooth(double wavelen) =>
                    (rope.OriginalMaxPositionEmbeddings / wavelen - rope.LowFreqFactor) / (rope.HighFreqFactor - rope.LowFreqFactor);
            default:
                throw new UserError($"{configJson.Path}: gguf export: rope type '{rope.RopeType}' is not supported (supported: default, linear, llama3)");
        }
    }

    static float[] Floats(Tensor t)
    {
        using var f = t.detach().to(ScalarType.Float32).cpu().contiguous();
        return f.data<float>().ToArray();
    }

    static byte[] Encode(float[] values, GgufTensorType type)
    {
        switch (type)
        {
            case GgufTensorType.F32:
                var f32 = new byte[values.Length * 4];
                Buffer.BlockCopy(values, 0, f32, 0, f32.Length);
                return f32;
            case GgufTensorType.F16:
                var f16 = new byte[values.Length * 2];
                for (int i = 0; i < values.Length; i++)
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(f16.AsSpan(2 * i), BitConverter.HalfToUInt16Bits((Half)values[i]));
                return f16;
            default:
                var q = new byte[type.ByteSize(values.Length)];
                Q8_0.Quantize(values, q);
                return q;
        }
    }
}
