using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using TuneSharp.Training.Distillation;

namespace TuneSharp.Tests.Training.Distillation;

/// <summary>Sequence-level KD's training file: each completion is the teacher's own greedy output for that prompt.</summary>
// Builds modules, whose initialisation draws from torch's global generator: kept off tests that seed it.
[Collection(SequentialCollection.Name)]
public sealed class SequenceKdTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-seqkd-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void Completions_are_the_teachers_greedy_continuations_and_references_are_kept()
    {
        var teacher = Fixtures.HfTiny("tiny-llama");
        var input = Path.Combine(root, "train.jsonl");
        string[] prompts = ["hello there", "the cat sat", "a b c d e f"];
        File.WriteAllLines(input, prompts.Select((p, i) => new JsonObject { ["prompt"] = p, ["completion"] = $"ref {i}", ["id"] = i }.ToJsonString()));
        var output = Path.Combine(root, "kd.jsonl");
        // Batch of 2: one batched pass and one alone, both must equal decoding each prompt by itself.
        var summary = SequenceKd.Write(teacher, input, output, new FieldNames(), maxNewTokens: 5, batchSize: 2);
        Assert.Equal(3, summary.Records);

        var rows = File.ReadAllLines(output).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var tokenizer = HfTokenizer.Load(teacher);
        var config = Pretrained.Config(teacher);
        using var lm = Pretrained.LoadCausalLM(teacher);
        for (int i = 0; i < 3; i++)
        {
            var alone = TextGenerator.Generate(lm, tokenizer.Encode(prompts[i], addSpecialTokens: true),
                new GenerationOptions { MaxNewTokens = 5, StopTokenIds = [TaskModelSetup.EosId(config, tokenizer)] });
            Assert.Equal(tokenizer.Decode(alone.NewIds, skipSpecialTokens: true).Trim(), rows[i]["completion"]!.GetValue<string>());
            Assert.Equal($"ref {i}", rows[i]["reference"]!.GetValue<string>());
            Assert.Equal(prompts[i], rows[i]["prompt"]!.GetValue<string>());
            Assert.Equal(i, rows[i]["id"]!.GetValue<int>());
        }
    }

    [Fact]
    public void Records_without_a_prompt_are_one_error_naming_file_and_line()
    {
        var input = Path.Combine(root, "chat.jsonl");
        File.WriteAllLines(input, ["""{"prompt": "x", "completion": "y"}""", """{"text": "no prompt"}"""]);
        var e = Assert.Throws<UserError>(() => SequenceKd.Write(Fixtures.HfTiny("tiny-llama"), input, Path.Combine(root, "out.jsonl"), new FieldNames()));
        Assert.Contains("chat.jsonl:2", e.Message);
        Assert.Contains("prompt", e.Message);
        Assert.False(File.Exists(Path.Combine(root, "out.jsonl")));
    }
}
