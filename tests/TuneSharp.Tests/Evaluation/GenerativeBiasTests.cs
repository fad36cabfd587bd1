using TuneSharp.Cli.Commands;
using TuneSharp.Evaluation.Fairness;
using TuneSharp.Inference;
using TuneSharp.Models;
using TuneSharp.Tests.Cli;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Evaluation;

/// <summary>The swap test for generative models: pieces, the Δ arithmetic, the scorer against the model, the command.</summary>
[Collection(SequentialCollection.Name)]
public sealed class GenerativeBiasTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-genbias-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    static readonly IReadOnlyDictionary<string, string> Gender = IdentityTerms.Map(IdentityTerms.Gender);

    [Fact]
    public void Pieces_cut_at_the_terms_and_give_both_texts_back()
    {
        var pieces = CounterfactualText.Pieces("She said he was late.", Gender);
        Assert.Equal(
            [new TextPiece("She", "He", true), new TextPiece(" said", " said", false), new TextPiece(" he", " she", true), new TextPiece(" was late.", " was late.", false)],
            pieces);
        Assert.Equal("She said he was late.", string.Concat(pieces.Select(p => p.Original)));
        Assert.Equal(CounterfactualText.Swap("She said he was late.", Gender).Text, string.Concat(pieces.Select(p => p.Counterfactual)));
        Assert.Equal([new TextPiece("Nothing to swap.", "Nothing to swap.", false)], CounterfactualText.Pieces("Nothing to swap.", Gender));
    }

    [Fact]
    public void Delta_is_the_original_minus_the_counterfactual_mean_log_prob_of_the_words_after_the_swap()
    {
        // A model whose output is known: a text's mean log-prob is −1 after "He" and −2 after "She", and the scorer
        // checks that only the shared words after the first swap are scored.
        IReadOnlyList<double> Scorer(IReadOnlyList<IReadOnlyList<(string Text, bool Scored)>> texts) => texts.Select(t =>
        {
            Assert.All(t, p => Assert.Equal(p.Scored, p.Text is " went home." or " stayed."));
            return t[0].Text == "He" ? -1.0 : -2.0;
        }).ToList();
        var r = CounterfactualLikelihood.Measure(["He went home.", "She stayed.", "Nobody here.", "He"], t => CounterfactualText.Pieces(t, Gender), Scorer);
        Assert.Equal(4, r.Texts);
        Assert.Equal(2, r.WithTerms); // "Nobody here." names no term; "He" has no words after it
        Assert.Equal(1.0, r.MeanAbsDelta, 12);
        Assert.Equal(0.0, r.MeanDelta, 12); // +1 for "He went home.", −1 for "She stayed."
        Assert.Equal(0.5, r.PreferOriginalShare, 12);
        Assert.Equal("She went home.", r.Worst.Single(e => e.Delta > 0).Counterfactual);
    }

    [Fact]
    public void The_scorer_equals_the_model_loss_on_the_scored_tokens()
    {
        var fixture = Fixtures.HfTiny("tiny-gpt2");
        using var lm = Pretrained.LoadCausalLM(fixture);
        lm.Module.eval();
        var tokenizer = HfTokenizer.Load(fixture);
        var pieces = new List<(string, bool)> { ("The cat", false), (" sat on the mat", true) };
        double score = PieceLogProb.Of(lm, tokenizer, [pieces], CPU)[0];
        var head = tokenizer.Encode("The cat", addSpecialTokens: false).Select(i => (long)i).ToList();
        var tail = tokenizer.Encode(" sat on the mat", addSpecialTokens: false).Select(i => (long)i).ToList();
        var ids = tensor(head.Concat(tail).ToArray()).unsqueeze(0);
        var labels = tensor(head.Select(_ => CausalLMLoss.IgnoreIndex).Concat(tail).ToArray()).unsqueeze(0);
        using var _ = no_grad();
        double loss = CausalLMLoss.Compute(lm.Forward(ids), labels).item<float>();
        Assert.Equal(-loss, score, 5);
    }

    [Fact]
    public void Audit_bias_on_a_causal_lm_reports_the_likelihood_swap()
    {
        var input = Path.Combine(dir, "texts.jsonl");
        File.WriteAllLines(input, ["{\"text\": \"He said the train was late again.\"}", "{\"text\": \"Her brother works at the mill.\"}", "{\"text\": \"No people here.\"}"]);
        var run = CliHarness.Run(AuditCommand.Create(), "audit", "bias", "--model", Fixtures.HfTiny("tiny-gpt2"), "--input", input);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("generative model: 2 of 3 texts", run.Stdout);
        Assert.Contains("mean |Δ|", run.Stdout);
        var grouped = CliHarness.Run(AuditCommand.Create(), "audit", "bias", "--model", Fixtures.HfTiny("tiny-gpt2"), "--input", input, "--group-field", "g");
        Assert.Equal(2, grouped.ExitCode);
        Assert.Contains("--group-field", grouped.Stderr);
    }
}
