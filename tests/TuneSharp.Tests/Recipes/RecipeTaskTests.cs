using TuneSharp.Models.Llama;
using TuneSharp.Recipes;
using TuneSharp.Tasks;

namespace TuneSharp.Tests.Recipes;

public sealed class RecipeTaskTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-recipetask-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    string Recipe(string modelConfig)
    {
        File.WriteAllLines(Path.Combine(dir, "text.jsonl"), Enumerable.Range(0, 8).Select(i => $"{{\"text\": \"line {i} of some training text for the model\"}}"));
        var path = Path.Combine(dir, "r.yaml");
        File.WriteAllText(path, $"""
            model: {Fixtures.HfTiny("tiny-llama")}
            task: causal-lm
            device: cpu
            {modelConfig}
            data:
              train: text.jsonl
              block_size: 16
            """);
        return path;
    }

    [Fact]
    public void Model_config_overrides_reach_the_model_such_as_dropout()
    {
        using var task = (CausalLMTask)RecipeTask.Build(RecipeLoader.Load(Recipe("model_config: {attention_dropout: 0.3}")), "cpu");
        Assert.Equal(0.3, ((LlamaForCausalLM)task.Model).Config.attention_dropout);
    }

    [Fact]
    public void A_model_config_key_the_model_lacks_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => RecipeTask.Build(RecipeLoader.Load(Recipe("model_config: {dropout_rate: 0.3}")), "cpu"));
        Assert.Contains("model_config.dropout_rate", e.Message, StringComparison.Ordinal);
    }
}
