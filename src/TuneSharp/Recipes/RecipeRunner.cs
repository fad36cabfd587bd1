using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Adapters;
using TuneSharp.Cards;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Reporting;
using TuneSharp.Runtime;
using TuneSharp.Tasks;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Recipes;

/// <summary>What a finished recipe run left behind.</summary>
public sealed record RunOutcome(string RunDir, TrainResult Result, EvalResult? Validation, EvalResult? Test, string ModelDir, string? AdapterDir, long TrainableParameters)
{
    /// <summary>Stage 1 when the recipe has domain_adaptation: the adapted folder and its before/after losses.</summary>
    public DomainAdaptationOutcome? DomainAdaptation { get; init; }
}

/// <summary>
/// Runs a recipe end to end, torchtune-style: set up the task and method, train, evaluate, save the model
/// (and the PEFT adapter for LoRA), then write the report and plots into the run folder:
/// <c>config.yaml</c>, <c>metrics.jsonl</c>, <c>checkpoints/</c>, <c>model/</c>, <c>adapter/</c>,
/// <c>report.md</c>, <c>report.json</c>, <c>loss.png</c>, <c>metrics.png</c>, <c>lr.png</c>, and for generative tasks
/// <c>generations-SPLIT.jsonl</c> (what the generation metrics scored).
/// </summary>
public static class RecipeRunner
{
    public static RunOutcome Run(Recipe recipe, bool resume = false, IProgress<TrainProgress>? progress = null,
        IReadOnlyList<Baseline>? baselines = null, CancellationToken cancel = default, string? deviceOverride = null,
        Action<int, IReadOnlyDictionary<string, double>>? onEvaluation = null)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var resumeFrom = RunFolder.ResumeFrom(recipe, resume);

        var options = recipe.Training();
        options.Validate();
        var curriculum = CurriculumRecipe.Options(recipe); // its errors before the model loads
        var adversarial = AdversarialRecipe.Options(recipe);
        var distillation = DistillationRecipe.Options(recipe);
        var setfit = SetFitRecipe.Options(recipe);
        var device = DeviceSelection.Resolve(deviceOverride ?? recipe.Device);
        random.manual_seed(options.Seed);
        var adaptation = DomainAdaptationSettings.From(recipe);
        if (adaptation is not null && MultiTaskRecipe.Is(recipe))
            throw new UserError($"{recipe.File}: key 'domain_adaptation': not supported with task: multi-task (adapt the encoder in a recipe of its own, then point model: at its folder)");
        var runDir = RunFolder.Create(recipe);

        string taskDevice = device.type == DeviceType.CUDA ? "cuda" : "cpu";
        // Stage 1 (optional): continued pretraining on in-domain text; the task then starts from the adapted weights.
        var adapted = adaptation is null ? null : DomainAdaptation.Run(recipe, adaptation, runDir, device, resume, progress);
        random.manual_seed(options.Seed);
        using ITask task = DistillationRecipe.Wrap(recipe, distillation,
            MultiTaskRecipe.Is(recipe) ? MultiTaskRecipe.Build(recipe, taskDevice) : RecipeTask.Build(recipe, taskDevice, adapted?.ModelDir), taskDevice);
        IBatchOrder? order = task is MultiTaskTask multiTask ? MultiTaskRecipe.Order(recipe, multiTask, options)
            : CurriculumRecipe.Order(recipe, curriculum, task, options, device);
        var lora = ApplyMethod(recipe, task, options.Seed);
        var prompt = PromptTuningRecipe.Apply(recipe, task);
        var objective = AdversarialRecipe.Objective(recipe, adversarial, task);
        using var ownedObjective = objective as IDisposable; // SMART's mean teacher holds a copy of the weights
        long total = task.Module.parameters().Sum(p => p.numel());
        long trainable = task.Module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

        var result = recipe.MethodType == "frozen-features"
            ? FrozenFeatures.Fit(task as SequenceClassificationTask ?? throw new UserError($"{recipe.File}: key 'method.type': frozen-features is for task sequence-classification, not {recipe.Task}"),
                options, runDir, device, L2Grid(recipe), recipe.File)
            : setfit is not null
            ? SetFitRecipe.Fit(recipe, setfit, task as SequenceClassificationTask ?? throw new UserError($"{recipe.File}: key 'method.type': setfit is for task sequence-classification, not {recipe.Task}"),
                options, runDir, device, L2Grid(recipe))
            : new Trainer(task, options, runDir, device, order, objective).Train(resumeFrom, progress, cancel, onEvaluation);
        var validation = task.Count(Split.Validation) > 0 ? task.Evaluate(Split.Validation, options.EvalBatchSize, device) : null;
        var test = task.Count(Split.Test) > 0 ? task.Evaluate(Split.Test, options.EvalBatchSize, device) : null;
        foreach (var (name, eval) in (ReadOnlySpan<(string, EvalResult?)>)[("validation", validation), ("test", test)])
            if (eval?.Generations is { } generations) Inference.EvalFiles.WriteGenerations(Path.Combine(runDir, $"generations-{name}.jsonl"), generations);

        string? adapterDir = null;
        if (lora is not null)
        {
            adapterDir = Path.Combine(runDir, "adapter");
            lora.Save(adapterDir);
            lora.MergeAndUnload(); // the model folder is a plain HF model: adapters merged in
        }
        if (prompt is not null)
        {
            adapterDir = Path.Combine(runDir, "adapter");
            prompt.Save(adapterDir);
        }
        var modelDir = Path.Combine(runDir, "model");
        task.Save(modelDir);
        if (prompt is not null) PromptTuningRecipe.MarkModelFolder(modelDir, prompt);

        var provenance = Provenance.Capture(device.ToString());
        var dataFiles = DataFiles(recipe, task);
        WriteCard(recipe, modelDir, provenance, started, validation, test, dataFiles);

        var metricsPath = Path.Combine(runDir, "metrics.jsonl");
        var plots = RunPlots.Write(metricsPath, runDir);
        var summary = new RunSummary
        {
            Task = recipe.Task,
            Recipe = recipe.File,
            Model = recipe.Model,
            Method = new TrainingMethod(MethodName(recipe) + AdversarialRecipe.Describe(adversarial), trainable, total, lora is null ? null : $"r={lora.Config.r}, alpha={lora.Config.lora_alpha}, targets={string.Join(",", lora.Config.target_modules ?? [])}"),
            Data = dataFiles,
            Options = TrainingOptionsTable(options),
            Result = result,
            BestMetricName = options.MetricForBestModel,
            WallTime = clock.Elapsed,
            TokensPerSecond = TokensPerSecond(metricsPath),
            Validation = validation,
            Test = test,
            Baselines = baselines ?? [],
            Stages = adapted is null ? [] : [adapted.Report],
            Plots = plots,
            Provenance = provenance,
        };
        RunReport.Write(runDir, summary);
        return new RunOutcome(runDir, result, validation, test, modelDir, adapterDir, trainable) { DomainAdaptation = adapted };
    }

    /// <summary>The model folder's README.md (model card) and lineage.json: inputs by digest, the resolved recipe, metrics with intervals.</summary>
    static void WriteCard(Recipe recipe, string modelDir, Provenance p, DateTimeOffset started,
        EvalResult? validation, EvalResult? test, IReadOnlyList<DataFile> files)
    {
        var (baseHash, baseFiles) = FileHashes.Folder(recipe.Model);
        var (modelHash, modelFiles) = FileHashes.Folder(modelDir);
        var lineage = new Lineage
        {
            BaseModel = new FolderDigest(recipe.Model, baseHash, baseFiles),
            Model = new FolderDigest(Path.GetFullPath(modelDir), modelHash, modelFiles),
            Data = files.Select(f => new DataDigest(f.Split, f.Path, FileHashes.File(f.Path), f.Examples)).ToList(),
            RecipeFile = recipe.File,
            Recipe = recipe.Root,
            Task = recipe.Task,
            Method = MethodName(recipe),
            Seed = recipe.Seed,
            TuneSharpVersion = p.TuneSharpVersion,
            Libraries = new Dictionary<string, string> { ["TorchSharp"] = p.TorchSharpVersion, ["libtorch"] = p.LibTorchVersion, [".NET"] = Environment.Version.ToString() },
            Device = p.Device,
            Started = started,
            Finished = DateTimeOffset.UtcNow,
            Metrics = [.. LineageMetrics.From("validation", validation), .. LineageMetrics.From("test", test)],
        };
        LineageFile.Write(modelDir, lineage);
        FineTunedModelCard.Write(modelDir, lineage, recipe.Model);
    }

    /// <summary>The data files with their example counts: train/validation/test, or NAME/train, ... per task of a multi-task run.</summary>
    static IReadOnlyList<DataFile> DataFiles(Recipe recipe, ITask task)
    {
        if (task is MultiTaskTask multi)
            return MultiTaskRecipe.Files(recipe).Select(f =>
            {
                var parts = f.Split.Split('/');
                var sub = multi.Tasks.First(t => t.Spec.Name == parts[0]).Task;
                return new DataFile(f.Split, f.Path, sub.Count(Enum.Parse<Split>(parts[1], ignoreCase: true)));
            }).ToList();
        var (train, validation, test) = RecipeTask.Files(recipe);
        return [
            new DataFile("train", train, task.Count(Split.Train)),
            .. validation is null ? Array.Empty<DataFile>() : [new DataFile("validation", validation, task.Count(Split.Validation))],
            .. test is null ? Array.Empty<DataFile>() : [new DataFile("test", test, task.Count(Split.Test))],
        ];
    }

    static string MethodName(Recipe r) =>
        (r.MethodType switch { "lora" => "LoRA", "frozen-features" => "frozen features + logistic regression", "prompt-tuning" => "prompt tuning", "setfit" => "SetFit: contrastive body + logistic regression head", _ => "full fine-tuning" })
        + (r.Get("method", "init") == "random" ? " (random init)" : "")
        + (r.Root["distillation"] is not null ? " + knowledge distillation" : "");

    static IReadOnlyList<double> L2Grid(Recipe r) =>
        r.Section("method")["l2"] is JsonArray a ? a.Select(x => YamlToJson.TryNumber(x, out double v) ? v : double.NaN).ToList() : FrozenFeatures.DefaultL2Grid;

    /// <summary>Random re-initialisation (baseline), LoRA injection and freezing, as the recipe's method says.</summary>
    static LoraModel? ApplyMethod(Recipe r, ITask task, long seed)
    {
        var method = r.Section("method");
        var init = r.Get("method", "init") ?? "pretrained";
        if (init == "random") WeightInit.Apply(task.Module, 0.02, seed);
        else if (init != "pretrained") throw new UserError($"{r.File}: key 'method.init': '{init}' is not pretrained or random");

        LoraModel? lora = null;
        if (r.MethodType == "lora")
        {
            var l = method["lora"] as JsonObject ?? new JsonObject();
            var targets = r.List(l, "target_modules");
            var save = r.List(l, "modules_to_save");
            var heads = task.Module.named_children().Select(c => c.name).Where(n => n is "score" or "classifier").ToList();
            var config = new LoraConfig
            {
                r = (int?)Recipe.Int(l, "r") ?? 8,
                lora_alpha = Recipe.Number(l, "lora_alpha") ?? 16,
                lora_dropout = Recipe.Number(l, "lora_dropout") ?? 0.0,
                target_modules = TargetModules.FromNames(targets.Count > 0 ? targets : ["q_proj", "v_proj"]),
                use_rslora = Recipe.Bool(l, "use_rslora") ?? false,
                use_dora = Recipe.Bool(l, "use_dora") ?? false,
                init_lora_weights = Recipe.Bool(l, "init_lora_weights") ?? true,
                // A new task head must train in full (PEFT does this for SEQ_CLS/TOKEN_CLS).
                modules_to_save = save.Count > 0 ? save : heads.Count > 0 ? heads : null,
                base_model_name_or_path = r.Model,
            };
            lora = LoraModel.Apply(task.Module, config);
        }
        // frozen-features trains nothing by gradient: only the head (set by the regression) counts as trainable.
        if (r.MethodType == "frozen-features")
            foreach (var (name, p) in task.Module.named_parameters()) p.requires_grad = name.StartsWith("classifier.", StringComparison.Ordinal);
        var freeze = r.List(method, "freeze");
        if (freeze.Count > 0) Freezing.Apply(task.Module, freeze);
        if (Recipe.Int(method, "freeze_layers") is long layers)
        {
            if (layers < 0) throw new UserError($"{r.File}: key 'method.freeze_layers': must be >= 0, got {layers}");
            LayerGroups.FreezeBottom(task.Module, (int)layers);
        }
        return lora;
    }

    static IReadOnlyList<KeyValuePair<string, string>> TrainingOptionsTable(TrainingOptions o) =>
        typeof(TrainingOptions).GetProperties().Select(p => new KeyValuePair<string, string>(p.Name,
            Convert.ToString(p.GetValue(o), System.Globalization.CultureInfo.InvariantCulture) ?? "")).ToList();

    static double TokensPerSecond(string metricsPath)
    {
        var last = MetricsLog.Read(metricsPath, "train").LastOrDefault(e => e["tokens_per_s"] is not null);
        return last is null ? 0 : (double)last["tokens_per_s"]!;
    }
}
