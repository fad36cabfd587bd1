using System.CommandLine;
using System.Globalization;
using TuneSharp.Inference;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp audit bias</c>: counterfactual identity-term swaps and per-group disparity of a trained classifier.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A trained sequence-classifier folder, or a causal LM (the swap test on the likelihood of the words after each swapped term)", Required = true };
        var input = new Option<string>("--input") { Description = "Real texts to test (JSONL, CSV, ...), e.g. the test split", Required = true };
        var field = new Option<string>("--field") { Description = "Field holding the text", DefaultValueFactory = _ => "text" };
        var label = new Option<string>("--label-field") { Description = "Field holding the gold label (for --group-field)", DefaultValueFactory = _ => "label" };
        var group = new Option<string?>("--group-field") { Description = "Field naming each record's group: report accuracy, FPR and FNR per group and their gaps" };
        var positive = new Option<string?>("--positive") { Description = "Positive class for FPR/FNR (default: the second label of a two-class model)" };
        var female = new Option<string?>("--female-names") { Description = "Female first names (names.jsonl of `data fetch female-first-names`, or one per line)" };
        var male = new Option<string?>("--male-names") { Description = "Male first names (names.jsonl of `data fetch male-first-names`, or one per line)" };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per text", DefaultValueFactory = _ => 256 };
        var bias = new Command("bias", "Swap gendered terms and names in real texts and report how predictions move (Garg et al. 2019); per-group gaps with --group-field")
        {
            model, input, field, label, group, positive, female, male, maxLength,
        };
        bias.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var r = BiasAudit.Run(new BiasAuditOptions
            {
                Model = parse.GetValue(model)!, Input = parse.GetValue(input)!, TextField = parse.GetValue(field)!,
                LabelField = parse.GetValue(label)!, GroupField = parse.GetValue(group), Positive = parse.GetValue(positive),
                FemaleNames = parse.GetValue(female), MaleNames = parse.GetValue(male), MaxLength = parse.GetValue(maxLength),
            });
            string F(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);
            if (r.Recorded) o.WriteLine($"recorded in {Path.Combine(parse.GetValue(model)!, "lineage.json")} and the model card");
            if (r.Likelihood is { } l)
            {
                o.WriteLine($"counterfactual swaps ({r.SwapTerms} terms), generative model: {l.WithTerms} of {l.Texts} texts name an identity term with words after it");
                if (l.WithTerms > 0)
                {
                    o.WriteLine($"  Δ mean log-prob per token of the words after the swap (original − swapped, nats): mean |Δ| {F(l.MeanAbsDelta)}, max |Δ| {F(l.MaxAbsDelta)}, "
                        + $"mean Δ {F(l.MeanDelta)}; original more likely in {F(l.PreferOriginalShare)} of texts");
                    foreach (var e in l.Worst) o.WriteLine($"  Δ {F(e.Delta)}: {Short(e.Original)}  ⇒  {Short(e.Counterfactual)}");
                }
                return 0;
            }
            var c = r.Counterfactual!;
            o.WriteLine($"counterfactual swaps ({r.SwapTerms} terms): {c.WithTerms} of {c.Texts} texts name an identity term");
            if (c.WithTerms > 0)
            {
                o.WriteLine($"  |Δp(predicted class)|: mean {F(c.MeanGap)}, max {F(c.MaxGap)}; predictions flipped: {F(c.FlipRate)} ({Math.Round(c.FlipRate * c.WithTerms)} texts)");
                foreach (var e in c.Worst)
                    o.WriteLine($"  Δp {F(e.Gap)} {e.PredictedLabel} → {e.CounterfactualLabel}: {Short(e.Original)}  ⇒  {Short(e.Counterfactual)}");
            }
            if (r.Disparity is { } d)
            {
                o.WriteLine($"per group (gaps: accuracy {F(d.AccuracyGap)}" + (d.FprGap is double fp ? $", FPR {F(fp)}" : "") + (d.FnrGap is double fn ? $", FNR {F(fn)}" : "") + "):");
                foreach (var g in d.Groups)
                    o.WriteLine($"  {g.Group,-20} n={g.Count,-6} accuracy {F(g.Accuracy)}" + (g.FalsePositiveRate is double a ? $"  FPR {F(a)}" : "") + (g.FalseNegativeRate is double b ? $"  FNR {F(b)}" : ""));
            }
            return 0;
        });
        return new Command("audit", "Audits of trained models: bias, memorization") { bias, Memorization() };
    }

    static Command Memorization()
    {
        var recipe = new Argument<string>("recipe") { Description = "A causal-lm recipe: it trains with the canaries inserted" };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides of the recipe", Arity = ArgumentArity.ZeroOrMore };
        var repetitions = new Option<string>("--repetitions") { Description = "How often each canary is inserted, comma-separated", DefaultValueFactory = _ => "1,4,16" };
        var perCount = new Option<int>("--canaries") { Description = "Canaries per repetition count", DefaultValueFactory = _ => 2 };
        var digits = new Option<int>("--digits") { Description = "Digits of each secret (|R| = 10^digits)", DefaultValueFactory = _ => 6 };
        var candidates = new Option<int>("--candidates") { Description = "Secrets sampled to estimate each canary's rank", DefaultValueFactory = _ => 2000 };
        var extraction = new Option<int>("--extraction") { Description = "Training texts tried for verbatim extraction (32-token prefix, 16 greedy tokens)", DefaultValueFactory = _ => 50 };
        var command = new Command("memorization", "Insert random canaries into a causal-lm recipe's training text, train, and report their exposure (Carlini et al. 2019) and the verbatim extraction rate")
        {
            recipe, overrides, repetitions, perCount, digits, candidates, extraction,
        };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var reps = parse.GetValue(repetitions)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(x => int.TryParse(x, CultureInfo.InvariantCulture, out int v) ? v : throw new UserError($"--repetitions: '{x}' is not an integer")).ToList();
            var r = MemorizationAudit.Run(new MemorizationOptions
            {
                Recipe = parse.GetValue(recipe)!, Overrides = parse.GetValue(overrides) ?? [], Repetitions = reps,
                PerCount = parse.GetValue(perCount), Digits = parse.GetValue(digits), Candidates = parse.GetValue(candidates),
                Extraction = parse.GetValue(extraction),
            });
            string F(double x) => x.ToString("0.00", CultureInfo.InvariantCulture);
            o.WriteLine($"exposure ({r.Method}; |R| = {r.SpaceSize:0}, at most {F(Math.Log2(r.SpaceSize))} bits; about 1 when nothing is memorised):");
            foreach (var g in r.Canaries.GroupBy(c => c.Canary.Repetitions))
                o.WriteLine($"  inserted {g.Key,3}×: mean {F(g.Average(c => c.Exposure))}, max {F(g.Max(c => c.Exposure))}  ({string.Join("; ", g.Select(c => $"'{c.Canary.Text}' {F(c.Exposure)}"))})");
            o.WriteLine($"verbatim extraction: {r.Extracted} of {r.ExtractionTried} training texts continued exactly for 16 tokens");
            o.WriteLine($"wrote {Path.Combine(r.RunDir, "memorization.json")}; recorded in {Path.Combine(r.ModelDir, "lineage.json")} and the model card");
            return 0;
        });
        return command;
    }

    static string Short(string text) => text.Length <= 90 ? text.ReplaceLineEndings(" ") : text[..87].ReplaceLineEndings(" ") + "...";
}
