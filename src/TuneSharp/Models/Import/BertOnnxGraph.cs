using System.Text.Json.Nodes;
using TuneSharp.IO.Onnx;
using TuneSharp.IO.Onnx.Proto;

namespace TuneSharp.Models.Import;

/// <summary>A weight recovered from an ONNX graph under its Hugging Face key: shape and row-major values.</summary>
public sealed record ImportedTensor(long[] Shape, float[] Values);

/// <summary>
/// Turns a BERT-family ONNX export (PyTorch's exporter, as sentence-transformers models ship) into a Hugging Face
/// BertModel: config.json values and the state dict under HF keys. Generic over sizes: every dimension comes from
/// the graph. The exporter keeps HF names for embeddings, LayerNorms and biases, but stores each Linear weight
/// under a numeric name as the second input of a MatMul, transposed to (in, out); its HF name is found through the
/// graph: the MatMul's output feeds an Add whose other input is the named bias "X.bias", so the weight is
/// "X.weight" = transpose(initializer). The pooler, if present, is a Gemm. Anything that does not fit this shape
/// (an unknown op, a weight with no named bias, a missing or mis-sized tensor) is one UserError naming the tensor.
/// </summary>
public static class BertOnnxGraph
{
    // The ops PyTorch emits for BertModel (decomposed or fused LayerNorm, erf GELU, attention mask arithmetic).
    static readonly HashSet<string> KnownOps =
    [
        "Constant", "ConstantOfShape", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Reshape", "Transpose", "Slice", "Cast",
        "Expand", "Equal", "Where", "Not", "Range", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Erf", "Tanh", "Relu",
        "ReduceMean", "Softmax", "MatMul", "Gemm", "LayerNormalization", "Identity", "Flatten",
    ];

    /// <summary>Maps <paramref name="model"/>'s graph; <paramref name="source"/> names it in errors.</summary>
    internal static (JsonObject Config, List<KeyValuePair<string, ImportedTensor>> Weights) Map(ModelProto model, string source)
    {
        var graph = model.Graph;
        foreach (var node in graph.Node)
            if (!KnownOps.Contains(node.OpType) || node.Domain is not ("" or "ai.onnx"))
                throw new UserError($"{source}: node '{node.Name}': op '{node.Domain}{(node.Domain == "" ? "" : ".")}{node.OpType}' is not part of a BERT encoder graph");
        foreach (var name in new[] { "input_ids", "attention_mask" })
            if (!graph.Input.Any(i => i.Name == name))
                throw new UserError($"{source}: the graph has no input '{name}' (inputs: {string.Join(", ", graph.Input.Select(i => i.Name))})");

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer)
            if (!initializers.TryAdd(t.Name, t)) throw new UserError($"{source}: initializer '{t.Name}' appears twice");
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var constants = graph.Node.Where(n => n.OpType == "Constant" && n.Attribute.Any(a => a.Name == "value"))
            .ToDictionary(n => n.Output[0], n => n.Attribute.First(a => a.Name == "value").T);

        var weights = new Dictionary<string, ImportedTensor>(StringComparer.Ordinal);
        void Put(string key, ImportedTensor t)
        {
            if (!weights.TryAdd(key, t)) throw new UserError($"{source}: two graph tensors map to '{key}'");
        }

        // 1. Tensors that keep their HF names (embeddings, LayerNorms, biases; "bert." prefix dropped).
        foreach (var (name, t) in initializers)
        {
            var key = HfKey(name);
            if (key is null || key.EndsWith("position_ids", StringComparison.Ordinal)) continue; // a buffer, not a weight
            Put(key, new ImportedTensor(t.Dims.ToArray(), OnnxModel.Floats(t, source)));
        }

        // 2. Linear weights: MatMul(x, W) -> Add(., X.bias)  =>  X.weight = W^T.
        foreach (var node in graph.Node.Where(n => n.OpType == "MatMul" && n.Input.Count == 2 && initializers.ContainsKey(n.Input[1])))
        {
            var w = initializers[node.Input[1]];
            if (HfKey(w.Name) is { } named) { weights[named] = Transposed(w, source); continue; } // named already: stored (in, out)
            var bias = consumers[node.Output[0]].Where(n => n.OpType == "Add")
                .SelectMany(n => n.Input).Select(HfKey).FirstOrDefault(k => k is not null && k.EndsWith(".bias", StringComparison.Ordinal));
            if (bias is null)
                throw new UserError($"{source}: initializer '{w.Name}' (MatMul '{node.Name}') feeds no Add with a named bias, so its Hugging Face name is unknown");
            Put(bias[..^".bias".Length] + ".weight", Transposed(w, source));
        }

        // 3. Gemm(x, W, b) with transB (the pooler): W is (out, in) when transB = 1, as HF stores it.
        foreach (var node in graph.Node.Where(n => n.OpType == "Gemm"))
        {
            if (node.Input.Count < 3 || !initializers.TryGetValue(node.Input[1], out var w) || HfKey(node.Input[2]) is not { } bias)
                throw new UserError($"{source}: Gemm '{node.Name}' has no named bias initializer");
            bool transB = node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I == 1;
            if (node.Attribute.Any(a => a.Name is "alpha" or "beta" && a.F != 1f) || node.Attribute.FirstOrDefault(a => a.Name == "transA")?.I == 1)
                throw new UserError($"{source}: Gemm '{node.Name}' scales or transposes its input, which a Linear layer does not");
            var key = bias[..^".bias".Length] + ".weight";
            weights.Remove(key); // a named W was taken as-is in step 1
            Put(key, transB ? new ImportedTensor(w.Dims.ToArray(), OnnxModel.Floats(w, source)) : Transposed(w, source));
        }

        var config = Config(graph, weights, constants, initializers, source);
        var ordered = ExpectedKeys(config, weights.ContainsKey("pooler.dense.weight"), source, weights);
        return (config, ordered);
    }

    // "bert.encoder.layer.0.attention.self.query.bias" -> "encoder.layer.0...": HF BertModel keys; numeric names -> null.
    static string? HfKey(string name)
    {
        if (name.StartsWith("bert.", StringComparison.Ordinal)) name = name[5..];
        return name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal)
            || name.StartsWith("pooler.", StringComparison.Ordinal) ? name : null;
    }

    // (in, out) -> (out, in), as nn.Linear stores its weight.
    static ImportedTensor Transposed(TensorProto w, string source)
    {
        if (w.Dims.Count != 2) throw new UserError($"{source}: tensor '{w.Name}' is a MatMul weight but has {w.Dims.Count} dimensions");
        var v = OnnxModel.Floats(w, source);
        int rows = (int)w.Dims[0], cols = (int)w.Dims[1];
        var t = new float[v.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) t[c * rows + r] = v[r * cols + c];
        return new ImportedTensor([cols, rows], t);
    }

    static JsonObject Config(GraphProto graph, Dictionary<string, ImportedTensor> w, Dictionary<string, TensorProto> constants,
        Dictionary<string, TensorProto> initializers, string source)
    {
        ImportedTensor Need(string key) => w.TryGetValue(key, out var t) ? t
            : throw new UserError($"{source}: tensor '{key}' is missing from the graph");
        var words = Need("embeddings.word_embeddings.weight");
        if (words.Shape.Length != 2) throw new UserError($"{source}: tensor 'embeddings.word_embeddings.weight' must be 2-D");
        long hidden = words.Shape[1];
        int layers = 0;
        while (w.ContainsKey($"encoder.layer.{layers}.attention.self.query.bias")) layers++;
        if (layers == 0) throw new UserError($"{source}: tensor 'encoder.layer.0.attention.self.query.bias' is missing from the graph");
        long intermediate = Need("encoder.layer.0.intermediate.dense.bias").Shape[0];

        double? Value(string name) =>
            constants.TryGetValue(name, out var c) ? OnnxModel.Scalar(c, source)
            : initializers.TryGetValue(name, out var i) && i.Dims.Aggregate(1L, (a, d) => a * d) == 1 ? OnnxModel.Scalar(i, source) : null;

        // Heads: attention scores are Q·Kᵀ (a MatMul of two activations) divided by sqrt(head_dim) (or multiplied by its inverse).
        long? headDim = null;
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).GroupBy(p => p.o).ToDictionary(g => g.Key, g => g.First().n);
        foreach (var node in graph.Node.Where(n => n.OpType is "Div" or "Mul" && n.Input.Count == 2))
        {
            if (!producers.TryGetValue(node.Input[0], out var p) || p.OpType != "MatMul" || p.Input.Any(initializers.ContainsKey)) continue;
            if (Value(node.Input[1]) is not { } scale || scale <= 0) continue;
            double d = node.OpType == "Div" ? scale * scale : 1 / (scale * scale);
            headDim = (long)Math.Round(d);
            break;
        }
        if (headDim is not { } hd || hd <= 0 || hidden % hd != 0)
            throw new UserError($"{source}: cannot find the attention score scale 1/sqrt(head_dim) that divides hidden size {hidden}");

        // LayerNorm epsilon: LayerNormalization's attribute, or the constant added to the variance before Sqrt.
        double? eps = graph.Node.FirstOrDefault(n => n.OpType == "LayerNormalization")?.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F;
        eps ??= graph.Node.Where(n => n.OpType == "Sqrt" && producers.TryGetValue(n.Input[0], out var add) && add.OpType == "Add")
            .Select(n => producers[n.Input[0]].Input.Select(Value).FirstOrDefault(v => v is not null)).FirstOrDefault(v => v is not null);
        if (eps is null) throw new UserError($"{source}: cannot find the LayerNorm epsilon in the graph");

        string act = graph.Node.Any(n => n.OpType == "Erf") ? "gelu" : graph.Node.Any(n => n.OpType == "Relu") ? "relu"
            : throw new UserError($"{source}: the feed-forward activation is neither erf-GELU nor ReLU");

        return new JsonObject
        {
            ["architectures"] = new JsonArray("BertModel"),
            ["model_type"] = "bert",
            ["vocab_size"] = words.Shape[0],
            ["hidden_size"] = hidden,
            ["num_hidden_layers"] = layers,
            ["num_attention_heads"] = hidden / hd,
            ["intermediate_size"] = intermediate,
            ["hidden_act"] = act,
            ["hidden_dropout_prob"] = 0.1,
            ["attention_probs_dropout_prob"] = 0.1,
            ["max_position_embeddings"] = Need("embeddings.position_embeddings.weight").Shape[0],
            ["type_vocab_size"] = Need("embeddings.token_type_embeddings.weight").Shape[0],
            ["initializer_range"] = 0.02,
            ["layer_norm_eps"] = (float)eps.Value, // stored as a float in the graph; 1e-12 in the source config
            ["pad_token_id"] = 0,
            ["position_embedding_type"] = "absolute",
            ["torch_dtype"] = "float32",
        };
    }

    // Every BertModel key of the derived config, in HF's order, with its shape checked; extra tensors are an error.
    static List<KeyValuePair<string, ImportedTensor>> ExpectedKeys(JsonObject config, bool pooler, string source,
        Dictionary<string, ImportedTensor> weights)
    {
        long V = (long)config["vocab_size"]!, C = (long)config["hidden_size"]!, I = (long)config["intermediate_size"]!;
        long P = (long)config["max_position_embeddings"]!, TT = (long)config["type_vocab_size"]!;
        int L = (int)config["num_hidden_layers"]!;
        var expected = new List<(string Key, long[] Shape)>
        {
            ("embeddings.word_embeddings.weight", [V, C]), ("embeddings.position_embeddings.weight", [P, C]),
            ("embeddings.token_type_embeddings.weight", [TT, C]), ("embeddings.LayerNorm.weight", [C]), ("embeddings.LayerNorm.bias", [C]),
        };
        for (int l = 0; l < L; l++)
        {
            var p = $"encoder.layer.{l}.";
            foreach (var m in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
                expected.AddRange([(p + m + ".weight", [C, C]), (p + m + ".bias", [C])]);
            expected.AddRange([(p + "attention.output.LayerNorm.weight", [C]), (p + "attention.output.LayerNorm.bias", [C]),
                (p + "intermediate.dense.weight", [I, C]), (p + "intermediate.dense.bias", [I]),
                (p + "output.dense.weight", [C, I]), (p + "output.dense.bias", [C]),
                (p + "output.LayerNorm.weight", [C]), (p + "output.LayerNorm.bias", [C])]);
        }
        if (pooler) expected.AddRange([("pooler.dense.weight", [C, C]), ("pooler.dense.bias", [C])]);

        var ordered = new List<KeyValuePair<string, ImportedTensor>>();
        foreach (var (key, shape) in expected)
        {
            if (!weights.TryGetValue(key, out var t)) throw new UserError($"{source}: tensor '{key}' is missing from the graph");
            if (!t.Shape.SequenceEqual(shape))
                throw new UserError($"{source}: tensor '{key}' has shape [{string.Join(", ", t.Shape)}], a BERT with this config needs [{string.Join(", ", shape)}]");
            ordered.Add(new(key, t));
        }
        var extra = weights.Keys.Except(expected.Select(e => e.Key)).FirstOrDefault();
        if (extra is not null) throw new UserError($"{source}: tensor '{extra}' is not part of a BertModel");
        return ordered;
    }
}
