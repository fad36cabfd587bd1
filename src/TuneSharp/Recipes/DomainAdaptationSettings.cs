using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Models;
using TuneSharp.Training;

namespace TuneSharp.Recipes;

/// <summary>
/// A recipe's <c>domain_adaptation:</c> section, checked: the corpora (with their held-out rows), the objective for
/// the model's family, masking and replay, and the stage's own optimisation options. A missing, out-of-range or
/// contradictory key is one <see cref="UserError"/> naming it.
/// </summary>
public sealed record DomainAdaptationSettings
{
    /// <summary>"masked-lm" or "causal-lm" (the task that runs the stage).</summary>
    public required string Objective { get; init; }
    public required string Corpus { get; init; }
    public string? CorpusValidation { get; init; }
    public string? GeneralCorpus { get; init; }
    public string? GeneralValidation { get; init; }
    public string TextField { get; init; } = "text";
    public int EvalExamples { get; init; } = 200;
    public double MlmProbability { get; init; } = 0.15;
    public double ReplayRatio { get; init; }
    public int MaxLength { get; init; } = 128;
    public required TrainingOptions Training { get; init; }

    /// <summary>The stage's defaults; every key of the section may override them.</summary>
    public static TrainingOptions DefaultTraining(long seed) => new()
    {
        Seed = seed, Epochs = 1, BatchSize = 16, LearningRate = 5e-5, WarmupRatio = 0.06, WeightDecay = 0.01,
        LrScheduler = "linear", EvalBatchSize = 64, LoggingSteps = 10,
        // One pass with before/after measurements of its own: no periodic evaluation, checkpoints or best-model reload.
        EvalStrategy = "no", SaveStrategy = "no", LoadBestModelAtEnd = false,
    };

    /// <summary>The checked section of <paramref name="r"/>, or null when the recipe has none.</summary>
    public static DomainAdaptationSettings? From(Recipe r)
    {
        if (r.Root["domain_adaptation"] is not JsonObject s) return null;
        string Key(string k) => $"{r.File}: key 'domain_adaptation.{k}'";
        string? File(string k)
        {
            if (r.PathOf(r.Get("domain_adaptation", k)) is not { } path) return null;
            if (!System.IO.File.Exists(path)) throw new UserError($"{Key(k)}: {path} not found");
            return path;
        }
        var corpus = File("corpus") ?? throw new UserError($"{Key("corpus")} is required (the in-domain text to continue pretraining on)");

        var config = Pretrained.Config(r.Model);
        bool encoder = ModelFactory.ModelType(config) == "bert";
        var objective = r.Get("domain_adaptation", "objective") ?? "auto";
        if (objective == "auto") objective = encoder ? "masked-lm" : "causal-lm";
        else if (objective is not ("masked-lm" or "causal-lm"))
            throw new UserError($"{Key("objective")}: '{objective}' is not auto, masked-lm or causal-lm");
        if (objective == "masked-lm" && !encoder)
            throw new UserError($"{Key("objective")}: masked-lm needs a BERT-family encoder; the model is '{ModelFactory.ModelType(config)}' (use causal-lm)");
        if (objective == "causal-lm" && encoder)
            throw new UserError($"{Key("objective")}: causal-lm needs a decoder; the model is a BERT encoder (use masked-lm)");

        var mlm = Recipe.Number(s, "mlm_probability");
        if (mlm is not null && objective != "masked-lm")
            throw new UserError($"{Key("mlm_probability")}: only the masked-lm objective masks tokens (the objective is {objective})");
        if (mlm is double p && p is <= 0 or >= 1) throw new UserError($"{Key("mlm_probability")}: must be between 0 and 1 (exclusive), got {p}");

        var general = File("general_corpus");
        double replay = Recipe.Number(s, "replay_ratio") ?? 0;
        if (replay is < 0 or >= 1) throw new UserError($"{Key("replay_ratio")}: must be in [0, 1), got {replay}");
        if (replay > 0 && general is null)
            throw new UserError($"{Key("replay_ratio")}: replay needs general text to mix in; set domain_adaptation.general_corpus");

        long evalExamples = Recipe.Int(s, "eval_examples") ?? 200;
        if (evalExamples < 1) throw new UserError($"{Key("eval_examples")}: must be at least 1, got {evalExamples}");
        long maxLength = Recipe.Int(s, "max_length") ?? Recipe.Int(r.Section("data"), "max_length") ?? 128;
        if (maxLength < 2) throw new UserError($"{Key("max_length")}: must be at least 2, got {maxLength}");

        var training = DefaultTraining(r.Seed);
        foreach (var (key, spec) in RecipeSchema.Root["domain_adaptation"].Keys!)
            if (spec.Bind is { } bind && s[key] is not null) training = bind(training, s, key);
        try { training.Validate(); }
        catch (UserError e) { throw new UserError($"{r.File}: domain_adaptation: {e.Message}", e); }

        return new DomainAdaptationSettings
        {
            Objective = objective, Corpus = corpus, CorpusValidation = File("corpus_validation"),
            GeneralCorpus = general, GeneralValidation = File("general_validation"),
            TextField = r.Get("domain_adaptation", "text_field") ?? "text", EvalExamples = (int)evalExamples,
            MlmProbability = mlm ?? 0.15, ReplayRatio = replay, MaxLength = (int)maxLength, Training = training,
        };
    }

    /// <summary>
    /// Training and held-out rows of a corpus: the first <see cref="EvalExamples"/> rows of the validation file when
    /// given, else that many rows held out by a fixed shuffle (the same for every seed, so every run measures the same text).
    /// </summary>
    public (List<DataRecord> Train, List<DataRecord> HeldOut) Split(string corpus, string? validation)
    {
        var rows = DataSources.Open(corpus).ToList();
        if (validation is not null) return (rows, DataSources.Open(validation).Take(EvalExamples).ToList());
        if (rows.Count <= EvalExamples)
            throw new UserError($"{corpus}: {rows.Count} row(s), not enough to hold out eval_examples {EvalExamples} and train on the rest (give a validation file)");
        new Random(20261204).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        return (rows[EvalExamples..], rows[..EvalExamples]);
    }
}
