using TuneSharp.Evaluation.Privacy;
using TuneSharp.Inference;
using TuneSharp.Models;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Evaluation;

[Collection(SequentialCollection.Name)]
public sealed class MemorizationTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-memorization-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void Exposure_is_exact_against_the_rest_of_the_space_and_bounded()
    {
        // A toy model over 2-digit secrets (|R| = 100) whose loss is the secret's value: secret k has rank k + 1.
        var all = Enumerable.Range(0, 100).Select(k => (double)k).ToList();
        foreach (int k in new[] { 0, 9, 49, 99 })
        {
            var others = all.Where(l => l != k).ToList();
            Assert.Equal(Math.Log2(100) - Math.Log2(k + 1), Exposure.Estimate(k, others, 100), 12);
        }
        Assert.Equal(Math.Log2(100), Exposure.Estimate(-1, all, 100), 12); // ranked first: the maximum
        Assert.InRange(Exposure.Estimate(49.5, all, 100), 0.9, 1.1);        // the middle: about one bit
    }

    [Fact]
    public void Canaries_are_distinct_and_sized()
    {
        var c = Canaries.Create([1, 4], 3, 4, seed: 1);
        Assert.Equal(6, c.Count);
        Assert.Equal(6, c.Select(x => x.Secret).Distinct().Count());
        Assert.All(c, x => Assert.Matches(@"^my PIN is \d \d \d \d$", x.Text));
        Assert.Throws<UserError>(() => Canaries.Create([0], 1, 4, 1));
    }

    [Fact]
    public void Continuation_loss_equals_the_summed_token_loss_of_the_full_sequence()
    {
        using var model = Pretrained.LoadCausalLM(TaskTestKit.Llama, CPU);
        model.Module.eval();
        var tok = HfTokenizer.Load(TaskTestKit.Llama);
        string[] secrets = ["1 2 3", "9 8 7 6 5"]; // different lengths: padding must not count
        var losses = ContinuationLoss.Of(model, tok, "my PIN is", secrets, CPU);
        var prefix = tok.Encode("my PIN is", addSpecialTokens: false).Count;
        for (int i = 0; i < secrets.Length; i++)
        {
            var ids = tok.Encode("my PIN is", addSpecialTokens: false).Concat(tok.Encode(" " + secrets[i], addSpecialTokens: false)).Select(x => (long)x).ToArray();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = model.Forward(tensor(ids).unsqueeze(0));                                       // (1, T, V)
            double expected = 0;
            var logp = logits[0].log_softmax(-1);
            for (int t = prefix; t < ids.Length; t++) expected -= logp[t - 1, ids[t]].item<float>();
            Assert.Equal(expected, losses[i], 3);
        }
    }

    [Fact]
    public void The_audit_trains_with_canaries_and_reports_exposure_and_extraction()
    {
        var texts = Enumerable.Range(0, 40).Select(i => $$"""{"text": "Sentence {{i}} about the weather and the sea, with a few more words to fill it out. The wind rose in the evening and the boats came back to the harbour one by one before the rain."}""");
        var train = Path.Combine(dir, "train.jsonl");
        File.WriteAllLines(train, texts);
        var recipe = Path.Combine(dir, "lm.yaml");
        File.WriteAllText(recipe, $"""
            model: {TaskTestKit.Llama}
            task: causal-lm
            device: cpu
            output_dir: run
            data: {"{"}train: train.jsonl, block_size: 32{"}"}
            training: {"{"}epochs: 1, batch_size: 4, learning_rate: 1.0e-3{"}"}
            """);
        var result = MemorizationAudit.Run(new MemorizationOptions
        {
            Recipe = recipe, Repetitions = [1, 8], PerCount = 1, Digits = 3, Candidates = 50, Extraction = 5,
        });
        Assert.Equal(2, result.Canaries.Count);
        Assert.All(result.Canaries, c => Assert.InRange(c.Exposure, 0, Math.Log2(1000) + 1e-9));
        Assert.InRange(result.ExtractionTried, 1, 5);
        Assert.True(File.Exists(Path.Combine(result.RunDir, "memorization.json")));
        // The canaries are in the training text as often as asked.
        var trained = File.ReadAllText(Path.Combine(result.RunDir, "memorization-train.jsonl"));
        foreach (var c in result.Canaries)
            Assert.Equal(c.Canary.Repetitions, trained.Split(c.Canary.Text).Length - 1);

        var tooLong = Assert.Throws<UserError>(() => MemorizationAudit.Run(new MemorizationOptions
        {
            Recipe = recipe, Overrides = ["data.block_size=4", "output_dir=run2"], Repetitions = [1], PerCount = 1,
        }));
        Assert.Contains("data.block_size", tooLong.Message, StringComparison.Ordinal);
    }
}
