using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.FewShot;
using TuneSharp.Recipes;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp fewshot RECIPE --k 1,2,4 --seeds 1,2,3 --methods finetune,frozen,setfit,zero-shot,prompting</c>:
/// a few-shot learning curve of a sequence-classification recipe (FewShot/FewShotCurve.cs); writes curve.md,
/// curve.json, curve.png and runs.jsonl into --output.
/// </summary>
public static class FewShotCommand
{
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "A sequence-classification recipe (model, data.train, data.test, data.labels)" };
        var ks = new Option<string>("--k") { Description = "Examples per class, comma-separated", DefaultValueFactory = _ => "1,2,4,8,16,32,64" };
        var seeds = new Option<string>("--seeds") { Description = "Seeds (each draws its own k-shot set)", DefaultValueFactory = _ => "1,2,3" };
        var methods = new Option<string>("--methods") { Description = "Any of finetune, frozen, setfit, zero-shot, prompting", DefaultValueFactory = _ => "finetune,frozen,setfit,zero-shot" };
        var output = new Option<string?>("--output") { Description = "Folder for curve.md, curve.json, curve.png (default: runs/fewshot-<recipe>)" };
        var testLimit = new Option<string?>("--test-limit") { Description = "Score on a seeded subset of N test texts (0 = all)" };
        var descriptions = new Option<string?>("--label-descriptions") { Description = "JSON file {label: description} for zero-shot (default: the label names)" };
        var iterations = new Option<string?>("--num-iterations") { Description = "SetFit: positive and negative pairs per example (default 20)" };
        var maxPairs = new Option<string?>("--max-pairs") { Description = "SetFit: at most N contrastive pairs (CPU budget; default no cap)" };
        var setfitLr = new Option<string?>("--setfit-learning-rate") { Description = "SetFit: encoder learning rate (default 2e-5)" };
        var setfitBatch = new Option<string?>("--setfit-batch-size") { Description = "SetFit: pairs per step (default 16)" };
        var setfitEpochs = new Option<string?>("--setfit-epochs") { Description = "SetFit: passes over the pairs (default 1)" };
        var minSteps = new Option<string?>("--finetune-min-steps") { Description = "finetune: at least N optimizer steps (more epochs for tiny sets; default 30)" };
        var lm = new Option<string?>("--prompting-model") { Description = "prompting: causal LM folder with chat_template.jinja (e.g. models/tunesharp-base)" };
        var merge = new Option<string?>("--merge") { Description = "Train nothing: join the runs.jsonl of these fewshot output folders (comma-separated) into one table and plot in --output" };
        var noun = new Option<string>("--prompt-noun") { Description = "prompting: what a label is called in the system line (e.g. genre)", DefaultValueFactory = _ => "label" };
        var command = new Command("fewshot", "Few-shot learning curve: k examples per class, several methods, mean ± std over seeds, with a plot")
        { recipe, ks, seeds, methods, output, testLimit, descriptions, iterations, maxPairs, setfitLr, setfitBatch, setfitEpochs, minSteps, lm, noun, merge };
        command.SetAction(parse =>
        {
            var r = RecipeLoader.Load(parse.GetValue(recipe)!);
            var setfit = new SetFitOptions();
            setfit = setfit with
            {
                num_iterations = OptionValues.Int(parse.GetValue(iterations), "--num-iterations", 1) ?? setfit.num_iterations,
                max_pairs = OptionValues.Int(parse.GetValue(maxPairs), "--max-pairs", 1) ?? setfit.max_pairs,
                learning_rate = Positive(parse.GetValue(setfitLr), "--setfit-learning-rate") ?? setfit.learning_rate,
                batch_size = OptionValues.Int(parse.GetValue(setfitBatch), "--setfit-batch-size", 1) ?? setfit.batch_size,
                epochs = OptionValues.Int(parse.GetValue(setfitEpochs), "--setfit-epochs", 1) ?? setfit.epochs,
            };
            var options = new FewShotOptions(
                Split(parse.GetValue(methods)!), Ints(parse.GetValue(ks)!, "--k"), Ints(parse.GetValue(seeds)!, "--seeds").Select(s => (long)s).ToList(),
                OptionValues.Int(parse.GetValue(testLimit), "--test-limit", 0) ?? 0,
                parse.GetValue(descriptions) is { } file ? Descriptions(file) : null, setfit,
                OptionValues.Int(parse.GetValue(minSteps), "--finetune-min-steps", 1) ?? 30,
                parse.GetValue(lm) is { } lmDir ? Path.GetFullPath(lmDir) : null, parse.GetValue(noun)!);
            string outDir = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("runs", "fewshot-" + r.Name));
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"recipe {r.File}\noutput {outDir}");
            if (parse.GetValue(merge) is { } folders)
                FewShotMerge.Run(r, options.TestLimit, Split(folders).Select(Path.GetFullPath).ToList(), outDir);
            else
                FewShotCurve.Run(r, options, outDir, line => o.WriteLine(line));
            o.WriteLine(File.ReadAllText(Path.Combine(outDir, FewShotReport.MarkdownFile)));
            o.WriteLine($"plot: {Path.Combine(outDir, FewShotReport.PlotFile)}");
            return 0;
        });
        return command;
    }

    static List<string> Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    static List<int> Ints(string text, string option) => Split(text).Select(s => OptionValues.Int(s, option, 1)!.Value).ToList();

    static double? Positive(string? text, string option)
    {
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v > 0) || !double.IsFinite(v))
            throw new UserError($"{option}: expected a positive number (got '{text}')");
        return v;
    }

    static Dictionary<string, string> Descriptions(string file)
    {
        if (!File.Exists(file)) throw new UserError($"{file}: label descriptions file not found");
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException e) { throw new UserError($"{file}: invalid JSON ({e.Message})", e); }
        if (node is not JsonObject map) throw new UserError($"{file}: expected a JSON object {{label: description}}");
        return map.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue(out string? s)
            ? s : throw new UserError($"{file}: key '{kv.Key}': the description must be a string"));
    }
}
