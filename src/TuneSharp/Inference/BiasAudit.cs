using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Evaluation.Fairness;
using TuneSharp.Tasks;

namespace TuneSharp.Inference;

/// <summary>What <c>tunesharp audit bias</c> reads: the classifier, real texts, and optionally gold labels, groups and name lists.</summary>
public sealed record BiasAuditOptions
{
    public required string Model { get; init; }
    public required string Input { get; init; }
    public string TextField { get; init; } = "text";
    /// <summary>Gold labels, for the per-group disparity (with <see cref="GroupField"/>).</summary>
    public string LabelField { get; init; } = "label";
    public string? GroupField { get; init; }
    /// <summary>The positive class for FPR/FNR (default: the second label of a two-class model).</summary>
    public string? Positive { get; init; }
    public string? FemaleNames { get; init; }
    public string? MaleNames { get; init; }
    public int MaxLength { get; init; } = 256;
    public int BatchSize { get; init; } = 32;
}

/// <summary>
/// The counterfactual swap test (a classifier's probabilities, or a generative model's likelihood), and the per-group
/// disparity when the data names groups (classifiers).
/// </summary>
public sealed record BiasAuditResult(CounterfactualReport? Counterfactual, CounterfactualLikelihoodReport? Likelihood, DisparityReport? Disparity, int SwapTerms)
{
    /// <summary>True when the result was recorded in the model folder's lineage.json and card (<see cref="Cards.AuditRecords"/>).</summary>
    public bool Recorded { get; init; }
}

/// <summary>
/// <c>tunesharp audit bias</c>: swaps gendered terms (and first names, from the lists <c>tunesharp data fetch
/// female-first-names / male-first-names</c> writes) in real texts and measures how a sequence classifier's
/// predictions move, or, for a causal LM, how the log-probability of the words after the swapped terms moves;
/// with a group field, compares a classifier's accuracy, FPR and FNR across groups.
/// </summary>
public static class BiasAudit
{
    public static BiasAuditResult Run(BiasAuditOptions o)
    {
        if ((o.FemaleNames is null) != (o.MaleNames is null)) throw new UserError("--female-names and --male-names go together");
        var records = DataSources.Open(o.Input).ToList();
        if (records.Count == 0) throw new UserError($"{o.Input}: no records");
        var texts = records.Select(r => Text(r, o.TextField)).ToList();
        var terms = IdentityTerms.Map(IdentityTerms.Gender);
        var names = o.FemaleNames is null ? null
            : IdentityTerms.Names(Names(o.FemaleNames), Names(o.MaleNames!), LowerCaseWords(texts));
        var config = Models.Pretrained.Config(o.Model);
        if (!ClassifierLoader.IsSequenceClassifier(config) && IsCausalLM(config))
        {
            if (o.GroupField is not null) throw new UserError("--group-field: per-group disparity needs a classifier; this model is a causal LM");
            using var lm = Models.Pretrained.LoadCausalLM(o.Model, Runtime.DeviceSelection.Resolve("auto"));
            lm.Module.eval();
            var tokenizer = Tokenization.HfTokenizer.Load(o.Model);
            var device = lm.Module.parameters().First().device;
            var likelihood = CounterfactualLikelihood.Measure(texts, t => CounterfactualText.Pieces(t, terms, names),
                batch => PieceLogProb.Of(lm, tokenizer, batch, device, o.MaxLength, o.BatchSize));
            return Record(o, new BiasAuditResult(null, likelihood, null, terms.Count + (names?.Count ?? 0)));
        }
        using var classifier = ClassifierLoader.Load(o.Model, maxLength: o.MaxLength);
        var labels = classifier.Labels.Names;
        var counterfactual = CounterfactualFairness.Measure(texts, t => classifier.ClassifyTexts(t, o.BatchSize),
            t => CounterfactualText.Swap(t, terms, names), labels);

        DisparityReport? disparity = null;
        if (o.GroupField is { } g)
        {
            var groups = records.Select(r => RecordFields.Required(r, g).ToString()).ToList();
            var truth = records.Select(r => RecordFields.Required(r, o.LabelField).ToString()).ToList();
            var predicted = classifier.ClassifyTexts(texts, o.BatchSize).Select(p => labels[Array.IndexOf(p, p.Max())]).ToList();
            var positive = o.Positive ?? (labels.Count == 2 ? labels[1] : null);
            if (positive is not null && !labels.Contains(positive)) throw new UserError($"--positive: '{positive}' is not a label of {o.Model} ({string.Join(", ", labels)})");
            disparity = GroupDisparity.Measure(groups, truth, predicted, positive);
        }
        return Record(o, new BiasAuditResult(counterfactual, null, disparity, terms.Count + (names?.Count ?? 0)));
    }

    /// <summary>Writes the numbers into the audited folder's lineage.json and card, when TuneSharp trained it.</summary>
    static BiasAuditResult Record(BiasAuditOptions o, BiasAuditResult r)
    {
        static string F(double x) => x.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        var summary = new System.Text.Json.Nodes.JsonObject
        {
            ["input"] = o.Input, ["input_sha256"] = Cards.FileHashes.File(o.Input), ["swap_terms"] = r.SwapTerms,
        };
        var md = new System.Text.StringBuilder($"`tunesharp audit bias` on `{o.Input}` ({r.SwapTerms} swap terms: gendered words" + (o.FemaleNames is null ? ")" : " and first names)") + ".\n\n");
        if (r.Counterfactual is { } c)
        {
            summary["kind"] = "classifier";
            summary["texts"] = c.Texts; summary["with_terms"] = c.WithTerms; summary["mean_gap"] = c.MeanGap; summary["max_gap"] = c.MaxGap; summary["flip_rate"] = c.FlipRate;
            md.Append($"| texts | with an identity term | mean \\|Δp\\| | max \\|Δp\\| | predictions flipped |\n|---:|---:|---:|---:|---:|\n| {c.Texts} | {c.WithTerms} | {F(c.MeanGap)} | {F(c.MaxGap)} | {F(c.FlipRate)} |\n");
        }
        if (r.Likelihood is { } l)
        {
            summary["kind"] = "generative";
            summary["texts"] = l.Texts; summary["with_terms"] = l.WithTerms; summary["mean_abs_delta"] = l.MeanAbsDelta; summary["max_abs_delta"] = l.MaxAbsDelta;
            summary["mean_delta"] = l.MeanDelta; summary["prefer_original_share"] = l.PreferOriginalShare;
            md.Append($"Mean log-probability per token of the words after each swapped term, original − swapped (nats).\n\n| texts | with an identity term | mean \\|Δ\\| | max \\|Δ\\| | mean Δ | original more likely |\n|---:|---:|---:|---:|---:|---:|\n| {l.Texts} | {l.WithTerms} | {F(l.MeanAbsDelta)} | {F(l.MaxAbsDelta)} | {F(l.MeanDelta)} | {F(l.PreferOriginalShare)} |\n");
        }
        if (r.Disparity is { } d)
        {
            summary["accuracy_gap"] = d.AccuracyGap; summary["fpr_gap"] = d.FprGap; summary["fnr_gap"] = d.FnrGap;
            md.Append($"\nPer-group gaps ({o.GroupField}): accuracy {F(d.AccuracyGap)}" + (d.FprGap is double fp ? $", FPR {F(fp)}" : "") + (d.FnrGap is double fn ? $", FNR {F(fn)}" : "") + ".\n");
        }
        return r with { Recorded = Cards.AuditRecords.Attach(o.Model, "bias", summary, md.ToString()) };
    }

    static bool IsCausalLM(Models.ConfigJson config) =>
        config.Root["architectures"] is System.Text.Json.Nodes.JsonArray a
        && a.Any(n => n?.ToString() is { } name && (name.EndsWith("ForCausalLM", StringComparison.Ordinal) || name.EndsWith("LMHeadModel", StringComparison.Ordinal)));

    /// <summary>Words the texts write in lower case somewhere: common words, whatever name lists say.</summary>
    static HashSet<string> LowerCaseWords(IEnumerable<string> texts) =>
        texts.SelectMany(t => System.Text.RegularExpressions.Regex.Matches(t, @"\b\p{Ll}+\b").Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

    static string Text(DataRecord r, string field) => RecordFields.String(r, field);

    /// <summary>A name list: names.jsonl from <c>data fetch</c> ({name}), or a text file with one name per line.</summary>
    static List<string> Names(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: not found (fetch it: tunesharp data fetch female-first-names --out DIR)");
        var names = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? DataSources.Open(path).Select(r => Text(r, "name")).ToList()
            : File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (names.Count == 0) throw new UserError($"{path}: the name list is empty");
        return names;
    }
}
