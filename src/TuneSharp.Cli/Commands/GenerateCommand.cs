using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Runtime;
using TuneSharp.Tokenization;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp generate</c>: continue a prompt with a causal LM folder.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder (config.json, *.safetensors, tokenizer.json)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate", DefaultValueFactory = _ => 32 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; > 0 samples", DefaultValueFactory = _ => 0.0 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens (0 = off)" };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass (1 = off)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<long?>("--seed") { Description = "Seed for sampling" };
        var ignoreEos = new Option<bool>("--ignore-eos") { Description = "Keep generating past end-of-sequence" };
        var logprobs = new Option<int?>("--logprobs") { Description = "Report log-probabilities with K top alternatives (with --json)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: text, token_ids, logprobs" };
        var device = DeviceOption.Create();

        var command = new Command("generate", "Continue a prompt with a causal language model")
        { model, prompt, maxNew, temperature, topK, topP, seed, ignoreEos, logprobs, json, device };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(model)!;
            var options = new GenerationOptions
            {
                MaxNewTokens = parse.GetValue(maxNew),
                Temperature = parse.GetValue(temperature),
                TopK = parse.GetValue(topK),
                TopP = parse.GetValue(topP),
                Seed = parse.GetValue(seed),
                IgnoreEos = parse.GetValue(ignoreEos),
                // --json always reports the chosen tokens' log-probabilities (top alternatives only with --logprobs K).
                Logprobs = parse.GetValue(logprobs) ?? (parse.GetValue(json) ? 0 : null),
            };
            options.Validate();
            var tokenizer = HfTokenizer.Load(dir);
            using var lm = Pretrained.LoadCausalLM(dir, DeviceSelection.Resolve(parse.GetValue(device)));
            var ids = tokenizer.Encode(parse.GetValue(prompt)!, addSpecialTokens: true);
            var result = TextGenerator.Generate(lm, ids, options);
            var text = tokenizer.Decode(result.NewIds, skipSpecialTokens: true);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) o.WriteLine(ToJson(text, result).ToJsonString());
            else o.WriteLine(text);
            return 0;
        });
        return command;
    }

    /// <summary>{"text", "token_ids": prompt ids then new ids, "logprobs": [{token_id, logprob, top: [...]}]}.</summary>
    public static JsonObject ToJson(string text, GenerationResult r)
    {
        var obj = new JsonObject
        {
            ["text"] = text,
            ["token_ids"] = new JsonArray(r.PromptIds.Concat(r.NewIds).Select(i => (JsonNode)i).ToArray()),
        };
        if (r.Logprobs is not null)
            obj["logprobs"] = new JsonArray(r.Logprobs.Select(l => (JsonNode)new JsonObject
            {
                ["token_id"] = l.TokenId,
                ["logprob"] = l.Logprob,
                ["top"] = new JsonArray(l.Top.Select(t => (JsonNode)new JsonObject { ["token_id"] = t.TokenId, ["logprob"] = t.Logprob }).ToArray()),
            }).ToArray());
        return obj;
    }
}
