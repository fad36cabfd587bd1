using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Adapters.PromptTuning;
using TuneSharp.Models.Bert;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;

namespace TuneSharp.Recipes;

/// <summary>
/// <c>method.type: prompt-tuning</c>: a soft prompt (<see cref="PromptTuningModel"/>) on a BERT sequence classifier or
/// on a decoder's causal-LM task (causal-lm, causal-lm-sft, seq2seq). The run saves the adapter in PEFT's format
/// (adapter/) and a model folder whose config.json key <see cref="ConfigKey"/> tells TuneSharp's loaders to rebuild the
/// prompt; transformers ignores both, so outside TuneSharp load adapter/ with PEFT.
/// </summary>
public static class PromptTuningRecipe
{
    /// <summary>config.json key of a prompt-tuned model folder: { "num_virtual_tokens": n }.</summary>
    public const string ConfigKey = PromptTuningModel.ModelConfigKey;

    /// <summary>The adapter for the recipe's prompt tuning, applied to the task's model; null for other methods.</summary>
    public static PromptTuningModel? Apply(Recipe r, ITask task)
    {
        if (r.MethodType != "prompt-tuning")
        {
            if (r.Section("method")["prompt_tuning"] is not null)
                throw new UserError($"{r.File}: key 'method.prompt_tuning': set only with method.type prompt-tuning");
            return null;
        }
        var p = r.Section("method")["prompt_tuning"] as JsonObject ?? new JsonObject();
        var config = new PromptTuningConfig
        {
            num_virtual_tokens = (int?)Recipe.Int(p, "num_virtual_tokens") ?? 20,
            prompt_tuning_init = Recipe.Value(p["prompt_tuning_init"]) ?? "RANDOM",
            prompt_tuning_init_text = Recipe.Value(p["prompt_tuning_init_text"]),
            tokenizer_name_or_path = r.Model,
            base_model_name_or_path = r.Model,
        };
        config.Validate($"{r.File}: method.prompt_tuning");
        if (task is CausalLMTask causal)
        {
            // The longest row plus the prompt must fit the position table.
            int longest = causal.TrainLengths.Count == 0 ? 0 : causal.TrainLengths.Max(), positions = causal.Model.Info.MaxPositionEmbeddings;
            if (longest + config.num_virtual_tokens > positions)
                throw new UserError($"{r.File}: key 'method.prompt_tuning.num_virtual_tokens': {config.num_virtual_tokens} virtual tokens + the longest training row's {longest} tokens "
                    + $"exceed the model's {positions} positions (lower data.max_length)");
            return PromptTuningModel.Apply(causal.Model, config, causal.Tokenizer);
        }
        if (task.Module is not BertForSequenceClassification model)
            throw new UserError($"{r.File}: key 'method.type': prompt-tuning is implemented for BERT-family sequence classification and decoder causal-LM tasks (this recipe is {r.Task} on {r.Model})");
        long maxLength = Recipe.Int(r.Section("data"), "max_length") ?? model.Config.max_position_embeddings;
        if (maxLength + config.num_virtual_tokens > model.Config.max_position_embeddings)
            throw new UserError($"{r.File}: key 'method.prompt_tuning.num_virtual_tokens': {config.num_virtual_tokens} virtual tokens + data.max_length {maxLength} "
                + $"exceed the model's {model.Config.max_position_embeddings} positions");
        var tokenizer = (task as SequenceClassificationTask)?.Tokenizer ?? HfTokenizer.Load(r.Model);
        return PromptTuningModel.Apply(model, config, tokenizer);
    }

    /// <summary>Records the prompt in the saved model folder's config.json, so that eval, predict and serve rebuild it.</summary>
    public static void MarkModelFolder(string modelDir, PromptTuningModel prompt)
    {
        var path = Path.Combine(modelDir, "config.json");
        var config = IO.JsonFile.ReadObject(path);
        config[ConfigKey] = new JsonObject { ["num_virtual_tokens"] = prompt.Config.num_virtual_tokens };
        IO.AtomicFile.WriteAllText(path, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
