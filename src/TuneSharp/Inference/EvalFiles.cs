using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Data.Writing;

namespace TuneSharp.Inference;

/// <summary>
/// Writes an evaluation as <c>eval-SPLIT.md</c> (for people) and <c>eval-SPLIT.json</c> (for tools), atomically; for
/// generative tasks also <c>eval-SPLIT-generations.jsonl</c>, one {prompt, reference, generated} line per example.
/// </summary>
public static class EvalFiles
{
    /// <summary>Writes both files into <paramref name="dir"/>; returns <paramref name="outcome"/> with their paths.</summary>
    public static EvalOutcome Write(EvalOutcome outcome, string dir, string recipeFile)
    {
        var md = Path.Combine(dir, $"eval-{outcome.Split}.md");
        var json = Path.Combine(dir, $"eval-{outcome.Split}.json");
        IO.AtomicFile.WriteAllText(md, Markdown(outcome, recipeFile));
        IO.AtomicFile.WriteAllText(json, Json(outcome, recipeFile).ToJsonString(JsonOutput.Indented) + "\n");
        if (outcome.Result.Generations is { } generations) WriteGenerations(Path.Combine(dir, $"eval-{outcome.Split}-generations.jsonl"), generations);
        return outcome with { MarkdownPath = md, JsonPath = json };
    }

    /// <summary>One JSON line per generated example: prompt, reference, generated (atomically).</summary>
    public static void WriteGenerations(string path, IEnumerable<Tasks.GeneratedExample> generations) =>
        AtomicJsonlWriter.WriteAll(path, generations.Select(g => new JsonObject
        {
            ["prompt"] = g.Prompt, ["reference"] = g.Reference, ["generated"] = g.Generated,
        }));

    /// <summary>The JSON form: task, split, model, data, recipe, examples, metrics (non-finite values as null) and settings.</summary>
    public static JsonObject Json(EvalOutcome o, string recipeFile)
    {
        var metrics = new JsonObject();
        foreach (var (name, value) in o.Result.Metrics) metrics[name] = double.IsFinite(value) ? JsonValue.Create(value) : null;
        return new JsonObject
        {
            ["task"] = o.Task, ["split"] = o.Split, ["model"] = o.ModelDir, ["data"] = o.DataFile,
            ["recipe"] = recipeFile, ["examples"] = o.Examples, ["metrics"] = metrics, ["settings"] = o.Result.Settings,
        };
    }

    static string Markdown(EvalOutcome o, string recipeFile)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"# Evaluation: {o.Split}\n\n");
        s.Append(CultureInfo.InvariantCulture, $"- task: {o.Task}\n- model: `{o.ModelDir}`\n- data: `{o.DataFile}` ({o.Examples} examples)\n- recipe: `{recipeFile}`\n\n");
        s.Append("| metric | value |\n|---|---|\n");
        foreach (var (name, value) in o.Result.Metrics) s.Append(CultureInfo.InvariantCulture, $"| {name} | {Format(value)} |\n");
        s.Append(CultureInfo.InvariantCulture, $"\nSettings: `{o.Result.Settings}`\n\n").Append(o.Result.ReportMarkdown);
        return s.ToString();
    }

    /// <summary>A metric value as printed: four decimals, "nan" for NaN.</summary>
    public static string Format(double value) => double.IsNaN(value) ? "nan" : value.ToString("0.####", CultureInfo.InvariantCulture);
}
