using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Tasks;
using TuneSharp.Templates;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// Generation for causal-lm-sft, seq2seq and causal-lm models: each record's prompt (<see cref="GenerationPrompts"/>)
/// is continued greedily with <see cref="TextGenerator.Generate"/> until EOS or max_new_tokens, and the record gets
/// <c>generated</c>: the new tokens decoded without special tokens.
/// </summary>
public sealed class GenerationPredictor : IPredictor
{
    readonly ICausalLM lm;
    readonly HfTokenizer tokenizer;
    readonly ChatTemplate? template;
    readonly PredictOptions options;
    readonly GenerationOptions generation;
    readonly CausalLMKind kind;

    /// <inheritdoc/>
    public string Task { get; }

    /// <summary>Loads the causal LM in <see cref="PredictOptions.ModelDir"/> on <paramref name="device"/> for <paramref name="kind"/>.</summary>
    public GenerationPredictor(CausalLMKind kind, PredictOptions options, Device device)
    {
        this.kind = kind;
        this.options = options;
        Task = kind switch { CausalLMKind.Sft => "causal-lm-sft", CausalLMKind.Seq2Seq => "seq2seq", _ => "causal-lm" };
        var config = Pretrained.Config(options.ModelDir);
        tokenizer = HfTokenizer.Load(options.ModelDir);
        template = tokenizer.ChatTemplate is { } source ? new ChatTemplate(source) : null;
        generation = new GenerationOptions { MaxNewTokens = options.MaxNewTokens, StopTokenIds = [TaskModelSetup.EosId(config, tokenizer)] };
        generation.Validate();
        lm = Pretrained.LoadCausalLM(options.ModelDir, device);
    }

    /// <inheritdoc/>
    public IReadOnlyList<JsonObject> Predict(IReadOnlyList<DataRecord> records)
    {
        var prompts = records.Select(r => GenerationPrompts.Build(kind, r, tokenizer, template, options.Fields, options.Separator)).ToList();
        var rows = new List<JsonObject>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            GenerationResult result;
            try { result = TextGenerator.Generate(lm, prompts[i], generation); }
            catch (UserError e) { throw new UserError($"{records[i].File}:{records[i].Line}: {e.Message}", e); }
            rows.Add(new JsonObject { ["generated"] = tokenizer.Decode(result.NewIds, skipSpecialTokens: true) });
        }
        return rows;
    }

    /// <inheritdoc/>
    public void Dispose() => lm.Dispose();
}
