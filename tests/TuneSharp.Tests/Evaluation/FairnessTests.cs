using TuneSharp.Cli.Commands;
using TuneSharp.Evaluation.Fairness;
using TuneSharp.Tests.Cli;

namespace TuneSharp.Tests.Evaluation;

public sealed class FairnessTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-fairness-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    static readonly IReadOnlyDictionary<string, string> Gender = IdentityTerms.Map(IdentityTerms.Gender);

    [Fact]
    public void Swaps_keep_case_and_leave_other_words_alone()
    {
        Assert.Equal(("She told her husband. SHE left; the shed stays.", 4),
            CounterfactualText.Swap("He told his wife. HE left; the shed stays.", Gender));
        Assert.Equal(("No identity here.", 0), CounterfactualText.Swap("No identity here.", Gender));
        Assert.Equal("he", Gender["she"]);
        Assert.Equal("his", Gender["her"]); // the possessive reading
    }

    [Fact]
    public void Names_swap_by_position_and_names_on_both_lists_are_left_out()
    {
        var map = IdentityTerms.Names(["Mary", "Robin", "May", "Anna"], ["John", "Robin", "Will", "Peter"], new HashSet<string> { "may", "will" });
        Assert.Equal("john", map["mary"]);
        Assert.Equal("peter", map["anna"]);
        Assert.Equal("mary", map["john"]);
        Assert.False(map.ContainsKey("robin")); // on both lists
        Assert.False(map.ContainsKey("may"));   // a common word in the texts
        Assert.Throws<UserError>(() => IdentityTerms.Map([]));
        // Names swap only where capitalised; terms in any case.
        Assert.Equal(("John said she will come; mary stays.", 2), CounterfactualText.Swap("Mary said he will come; mary stays.", Gender, map));
    }

    [Fact]
    public void Gap_and_flips_on_a_model_whose_output_is_known()
    {
        // P(a) = 0.8 when the text says "she", else 0.3; labels [a, b].
        IReadOnlyList<double[]> Classify(IReadOnlyList<string> texts) =>
            texts.Select(t => CounterfactualText.Swap(t, new Dictionary<string, string> { ["she"] = "x" }).Swaps > 0 ? new[] { 0.8, 0.2 } : [0.3, 0.7]).ToList();
        string[] texts = ["he runs", "she runs", "nobody runs", "the man sat"];
        var r = CounterfactualFairness.Measure(texts, Classify, t => CounterfactualText.Swap(t, Gender), ["a", "b"]);
        Assert.Equal(4, r.Texts);
        Assert.Equal(3, r.WithTerms); // "nobody runs" has no term
        // he→she: predicted b, p(b) 0.7 → 0.2 (flip); she→he: predicted a, p(a) 0.8 → 0.3 (flip); man→woman: no change.
        Assert.Equal((0.5 + 0.5 + 0) / 3, r.MeanGap, 12);
        Assert.Equal(0.5, r.MaxGap, 12);
        Assert.Equal(2.0 / 3, r.FlipRate, 12);
        Assert.Contains(r.Worst.Take(2), e => e.PredictedLabel == "b" && e.CounterfactualLabel == "a" && e.Counterfactual == "she runs");
        Assert.Equal(0, r.Worst[^1].Gap, 12);
    }

    [Fact]
    public void Group_rates_and_gaps_by_hand()
    {
        string[] groups = ["x", "x", "x", "x", "y", "y"];
        string[] truth = ["pos", "pos", "neg", "neg", "pos", "neg"];
        string[] pred = ["pos", "neg", "neg", "pos", "pos", "neg"];
        var d = GroupDisparity.Measure(groups, truth, pred, "pos");
        var x = d.Groups.Single(g => g.Group == "x");
        Assert.Equal(0.5, x.Accuracy);
        Assert.Equal(0.5, x.FalsePositiveRate);
        Assert.Equal(0.5, x.FalseNegativeRate);
        Assert.Equal(1.0, d.Groups.Single(g => g.Group == "y").Accuracy);
        Assert.Equal(0.5, d.AccuracyGap);
        Assert.Equal(0.5, d.FprGap);
        Assert.Equal(0.5, d.FnrGap);
    }

    [Fact]
    public void Audit_runs_on_a_trained_classifier_and_bad_inputs_are_one_error_line()
    {
        var input = Path.Combine(dir, "test.jsonl");
        File.WriteAllLines(input, [
            """{"text": "He said the film was great.", "label": "LABEL_1", "group": "a"}""",
            """{"text": "Mary loved her new job.", "label": "LABEL_0", "group": "b"}""",
            """{"text": "A plain sentence.", "label": "LABEL_2", "group": "b"}""",
        ]);
        var female = Path.Combine(dir, "female.txt");
        var male = Path.Combine(dir, "male.txt");
        File.WriteAllLines(female, ["Mary"]);
        File.WriteAllLines(male, ["John"]);
        var model = Fixtures.HfTiny("tiny-bert-cls");
        var ok = CliHarness.Run(AuditCommand.Create(), "audit", "bias", "--model", model, "--input", input,
            "--group-field", "group", "--female-names", female, "--male-names", male);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("2 of 3 texts name an identity term", ok.Stdout, StringComparison.Ordinal);
        Assert.Contains("per group", ok.Stdout, StringComparison.Ordinal);

        File.WriteAllText(male, "");
        var empty = CliHarness.Run(AuditCommand.Create(), "audit", "bias", "--model", model, "--input", input, "--female-names", female, "--male-names", male);
        Assert.Equal(2, empty.ExitCode);
        Assert.StartsWith($"error: {male}: the name list is empty", empty.Stderr, StringComparison.Ordinal);
        var missing = CliHarness.Run(AuditCommand.Create(), "audit", "bias", "--model", model, "--input", Path.Combine(dir, "gone.jsonl"));
        Assert.Equal(2, missing.ExitCode);
        Assert.DoesNotContain('\n', missing.Stderr.TrimEnd('\n', '\r'));
    }
}
