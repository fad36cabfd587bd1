using TuneSharp.Text;
using System.Text.Json.Nodes;
using TuneSharp.Recipes;

namespace TuneSharp.Tuning;

/// <summary>
/// Reads a search file (YAML beside a recipe). Every key it names, searched, fixed or in a condition, must be a
/// recipe key of the right kind; the first bad one is a UserError naming the file, the line and the key, so a study
/// never starts trials that would all fail the same way.
/// <code>
/// recipe: tunesharp-base_lora_cpu.yaml
/// trials: 12
/// sampler: {name: tpe, seed: 0, n_startup_trials: 4}
/// pruner: {name: asha, min_resource: 6, reduction_factor: 3}
/// fixed: {training.epochs: 1}
/// params:
///   training.learning_rate: {type: float, low: 1.0e-4, high: 3.0e-3, log: true}
///   method.lora.r: {type: int, low: 2, high: 16, step: 2, when: {method.type: lora}}
/// </code>
/// </summary>
public static class SearchSpaceLoader
{
    static readonly string[] TopKeys = ["recipe", "study", "trials", "metric", "direction", "sampler", "pruner", "fixed", "params"];
    static readonly string[] ParamKeys = ["type", "low", "high", "log", "step", "choices", "when", "grid_points"];

    public static SearchSpace Load(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: search file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Parses search-file <paramref name="text"/> as if it were at <paramref name="path"/> (a stored study's search,
    /// whose file may have changed since): relative paths resolve against that file's folder.
    /// </summary>
    public static SearchSpace Parse(string text, string path)
    {
        var file = Path.GetFullPath(path);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var root = YamlToJson.Parse(text, path, lines);
        string At(string key) => lines.TryGetValue(key, out int l) ? $"{path}:{l}" : path;

        foreach (var (key, _) in root)
            if (!TopKeys.Contains(key))
                throw new UserError($"{At(key)}: unknown key '{key}'" + (ClosestName.Find(key, TopKeys) is { } c ? $" (did you mean '{c}'?)" : $" (valid keys: {string.Join(", ", TopKeys)})"));

        var recipeText = Text(root["recipe"]) ?? throw new UserError($"{path}: key 'recipe' is required (the recipe every trial runs, relative to this file)");
        var recipePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, recipeText));
        if (!File.Exists(recipePath)) throw new UserError($"{At("recipe")}: recipe '{recipeText}' not found ({recipePath})");

        var fixedPairs = new List<KeyValuePair<string, JsonNode?>>();
        if (root["fixed"] is JsonObject fixedObj)
            foreach (var (key, value) in fixedObj)
            {
                RecipeKeys.Value(key, At("fixed." + key));
                fixedPairs.Add(new(key, value?.DeepClone()));
            }
        else if (root["fixed"] is not null) throw new UserError($"{At("fixed")}: 'fixed' must be a mapping of recipe keys to values");

        if (root["params"] is not JsonObject paramsObj || paramsObj.Count == 0)
            throw new UserError($"{path}: key 'params' is required: recipe keys to search, e.g. training.learning_rate: {{type: float, low: 1e-4, high: 1e-2, log: true}}");
        var sampler = ReadSampler(root["sampler"] as JsonObject, At);
        var specs = new List<ParamSpec>();
        foreach (var (key, value) in paramsObj)
            specs.Add(ReadParam(key, value, At("params." + key), specs, sampler.GridPoints));
        if (fixedPairs.Any(f => specs.Any(p => p.Key == f.Key)))
            throw new UserError($"{path}: key '{fixedPairs.First(f => specs.Any(p => p.Key == f.Key)).Key}' is both fixed and searched");

        // The recipe itself must load with the fixed keys applied; its metric and direction are the defaults.
        var recipe = RecipeLoader.Load(recipePath, fixedPairs.Select(kv => $"{kv.Key}={SearchSpace.OverrideText(kv.Value)}"));
        var training = recipe.Training();
        var metric = Text(root["metric"]) ?? training.MetricForBestModel;
        bool maximize = Text(root["direction"]) switch
        {
            null => metric == training.MetricForBestModel ? training.GreaterIsBetter : !(metric is "loss" or "perplexity"),
            "maximize" => true,
            "minimize" => false,
            var d => throw new UserError($"{At("direction")}: direction '{d}' must be maximize or minimize"),
        };
        int trials = root["trials"] is null ? 20 : (int)Int(root["trials"], At("trials"), "trials", 1);
        return new SearchSpace
        {
            File = file,
            Recipe = recipePath,
            StudyName = Text(root["study"]) ?? Path.GetFileNameWithoutExtension(file).Replace(".search", "", StringComparison.Ordinal),
            Trials = trials,
            Metric = metric,
            Maximize = maximize,
            Params = specs,
            Fixed = fixedPairs,
            Sampler = sampler,
            Pruner = ReadPruner(root["pruner"] as JsonObject, At),
        };
    }

    static ParamSpec ReadParam(string key, JsonNode? node, string where, List<ParamSpec> earlier, int gridPoints)
    {
        var spec = RecipeKeys.Value(key, where);
        if (node is not JsonObject o) throw new UserError($"{where}: '{key}' needs {{type: float|int|categorical, ...}}");
        foreach (var (k, _) in o)
            if (!ParamKeys.Contains(k)) throw new UserError($"{where}: '{key}': unknown field '{k}' (fields: {string.Join(", ", ParamKeys)})");
        ParamCondition? when = null;
        if (o["when"] is JsonObject w)
        {
            if (w.Count != 1) throw new UserError($"{where}: '{key}': 'when' takes one recipe key, e.g. when: {{method.type: lora}}");
            var (ck, cv) = w.First();
            RecipeKeys.Value(ck, where + " (when)");
            var values = cv is JsonArray a ? a.Select(ParamSpec.Text).ToList() : [ParamSpec.Text(cv)];
            when = new ParamCondition(ck, values);
        }
        else if (o["when"] is not null) throw new UserError($"{where}: '{key}': 'when' must be a mapping, e.g. when: {{method.type: lora}}");

        var type = Text(o["type"]) ?? throw new UserError($"{where}: '{key}': field 'type' is required (float, int or categorical)");
        bool log = o["log"] is JsonValue lv && lv.TryGetValue(out bool lb) && lb;
        switch (type)
        {
            case "float":
            {
                if (spec.Kind is not (KeyKind.Number or KeyKind.String))
                    throw new UserError($"{where}: '{key}' holds {spec.Kind.ToString().ToLowerInvariant()} values, not floats");
                double low = Number(o["low"], where, key, "low"), high = Number(o["high"], where, key, "high");
                double? step = o["step"] is null ? null : Number(o["step"], where, key, "step");
                if (!(low < high)) throw new UserError($"{where}: '{key}': low must be below high");
                if (log && low <= 0) throw new UserError($"{where}: '{key}': a log scale needs low > 0");
                if (step is <= 0) throw new UserError($"{where}: '{key}': step must be > 0");
                int points = o["grid_points"] is null ? gridPoints : (int)Int(o["grid_points"], where, key + ".grid_points", 1);
                return new FloatParam(key, when, low, high, log, step, points);
            }
            case "int":
            {
                if (spec.Kind is not (KeyKind.Int or KeyKind.Number))
                    throw new UserError($"{where}: '{key}' holds {spec.Kind.ToString().ToLowerInvariant()} values, not integers");
                long low = Int(o["low"], where, key + ".low", long.MinValue), high = Int(o["high"], where, key + ".high", long.MinValue);
                long step = o["step"] is null ? 1 : Int(o["step"], where, key + ".step", 1);
                if (!(low < high)) throw new UserError($"{where}: '{key}': low must be below high");
                if (log && low <= 0) throw new UserError($"{where}: '{key}': a log scale needs low > 0");
                return new IntParam(key, when, low, high, step, log);
            }
            case "categorical":
            {
                if (o["choices"] is not JsonArray choices || choices.Count == 0 || choices.Any(c => c is not JsonValue))
                    throw new UserError($"{where}: '{key}': 'choices' must be a non-empty list of values");
                return new CategoricalParam(key, when, choices.Select(c => c!.DeepClone()).ToList());
            }
            default:
                throw new UserError($"{where}: '{key}': type '{type}' must be float, int or categorical");
        }
    }

    static SamplerSettings ReadSampler(JsonObject? o, Func<string, string> at)
    {
        var d = new SamplerSettings();
        if (o is null) return d;
        Known(o, ["name", "seed", "n_startup_trials", "n_ei_candidates", "grid_points"], at("sampler"), "sampler");
        var name = Text(o["name"]) ?? d.Name;
        if (!SamplerSettings.Names.Contains(name)) throw new UserError($"{at("sampler.name")}: sampler '{name}' must be {string.Join(", ", SamplerSettings.Names)}");
        return new SamplerSettings
        {
            Name = name,
            Seed = o["seed"] is null ? d.Seed : Int(o["seed"], at("sampler.seed"), "sampler.seed", 0),
            NStartupTrials = o["n_startup_trials"] is null ? d.NStartupTrials : (int)Int(o["n_startup_trials"], at("sampler.n_startup_trials"), "sampler.n_startup_trials", 0),
            NEiCandidates = o["n_ei_candidates"] is null ? d.NEiCandidates : (int)Int(o["n_ei_candidates"], at("sampler.n_ei_candidates"), "sampler.n_ei_candidates", 1),
            GridPoints = o["grid_points"] is null ? d.GridPoints : (int)Int(o["grid_points"], at("sampler.grid_points"), "sampler.grid_points", 1),
        };
    }

    static PrunerSettings ReadPruner(JsonObject? o, Func<string, string> at)
    {
        var d = new PrunerSettings();
        if (o is null) return d;
        Known(o, ["name", "n_startup_trials", "n_warmup_steps", "min_resource", "reduction_factor"], at("pruner"), "pruner");
        var name = Text(o["name"]) ?? d.Name;
        if (!PrunerSettings.Names.Contains(name)) throw new UserError($"{at("pruner.name")}: pruner '{name}' must be {string.Join(", ", PrunerSettings.Names)}");
        return new PrunerSettings
        {
            Name = name,
            NStartupTrials = o["n_startup_trials"] is null ? d.NStartupTrials : (int)Int(o["n_startup_trials"], at("pruner.n_startup_trials"), "pruner.n_startup_trials", 0),
            NWarmupSteps = o["n_warmup_steps"] is null ? d.NWarmupSteps : (int)Int(o["n_warmup_steps"], at("pruner.n_warmup_steps"), "pruner.n_warmup_steps", 0),
            MinResource = o["min_resource"] is null ? d.MinResource : (int)Int(o["min_resource"], at("pruner.min_resource"), "pruner.min_resource", 1),
            ReductionFactor = o["reduction_factor"] is null ? d.ReductionFactor : (int)Int(o["reduction_factor"], at("pruner.reduction_factor"), "pruner.reduction_factor", 2),
        };
    }

    static void Known(JsonObject o, string[] keys, string where, string section)
    {
        foreach (var (k, _) in o)
            if (!keys.Contains(k)) throw new UserError($"{where}: unknown key '{section}.{k}' (valid: {string.Join(", ", keys)})");
    }

    static string? Text(JsonNode? n) => n is JsonValue v ? ParamSpec.Text(v) : null;

    static double Number(JsonNode? n, string where, string key, string field) =>
        YamlToJson.TryNumber(n, out double d) && double.IsFinite(d) ? d : throw new UserError($"{where}: '{key}': field '{field}' must be a number");

    static long Int(JsonNode? n, string where, string key, long min)
    {
        if (n is not JsonValue v || !v.TryGetValue(out long l)) throw new UserError($"{where}: '{key}' must be an integer");
        if (l < min) throw new UserError($"{where}: '{key}' must be >= {min}");
        return l;
    }
}
