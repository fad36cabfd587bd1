using System.Text.Json.Nodes;
using TuneSharp.Reporting;
using TuneSharp.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Tests.Reporting;

public class RunReportTests
{
    static RunSummary Summary() => new()
    {
        Task = "sequence-classification",
        Recipe = "recipes/sms-spam.yaml",
        Model = "models/tiny-bert",
        Method = new TrainingMethod("lora", 12_288, 4_400_000, "r=8, alpha=16"),
        Data = [new DataFile("train", "data/train.jsonl", 4457), new DataFile("validation", "data/validation.jsonl", 557)],
        Options = [new("learning_rate", "5e-05"), new("batch_size", "16")],
        Result = new TrainResult(300, 2, 0.91234, 200, StoppedEarly: true, FinalValidation: null),
        BestMetricName = "macro_f1",
        WallTime = TimeSpan.FromSeconds(3725.5),
        TokensPerSecond = 1234.56,
        Validation = new EvalResult(new Dictionary<string, double> { ["loss"] = 0.123456, ["accuracy"] = 0.95, ["macro_f1"] = 0.91234 },
            "metric=macro_f1|average=macro|labels=2", "### Per class\n\n| class | f1 |\n|---|---|\n| spam | 0.8800 |\n"),
        Test = new EvalResult(new Dictionary<string, double> { ["loss"] = 0.2, ["accuracy"] = 0.94444, ["macro_f1"] = 0.9 },
            "metric=macro_f1|average=macro|labels=2", "### Confusion matrix\n\n(test)\n"),
        Baselines = [new Baseline("majority class", new Dictionary<string, double> { ["accuracy"] = 0.866, ["macro_f1"] = 0.464 })],
        Plots = new PlotFiles("loss.png", null, "lr.png"),
        Provenance = new Provenance("0.1.0", "0.107.0.0", "2.7.1", "Debian GNU/Linux 12 x64", 2, "cpu", new DateTimeOffset(2026, 11, 2, 10, 30, 0, TimeSpan.Zero)),
    };

    [Fact]
    public void Markdown_has_results_table_with_splits_and_baselines_to_four_decimals()
    {
        var dir = ReportingFiles.TempDir();
        var (markdownPath, _) = RunReport.Write(dir, Summary());
        var md = File.ReadAllText(markdownPath);

        Assert.Contains("| metric | validation | test | majority class |\n|---|---:|---:|---:|\n"
            + "| loss | 0.1235 | 0.2000 | – |\n"
            + "| accuracy | 0.9500 | 0.9444 | 0.8660 |\n"
            + "| macro_f1 | 0.9123 | 0.9000 | 0.4640 |\n", md, StringComparison.Ordinal);
        Assert.Contains("Validation settings: `metric=macro_f1|average=macro|labels=2`", md, StringComparison.Ordinal);
        Assert.Contains("![Training and validation loss](loss.png)", md, StringComparison.Ordinal);
        Assert.Contains("![Learning rate](lr.png)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics.png", md, StringComparison.Ordinal);
        Assert.Contains("## Validation details\n\n### Per class", md, StringComparison.Ordinal);
        Assert.Contains("## Test details\n\n### Confusion matrix", md, StringComparison.Ordinal);
        Assert.Contains("| Method | LoRA (r=8, alpha=16): 12,288 of 4,400,000 parameters trainable (0.28 %) |", md, StringComparison.Ordinal);
        Assert.Contains("| Steps | 300 (2 skipped: non-finite loss or gradient) |", md, StringComparison.Ordinal);
        Assert.Contains("| Best | macro_f1 0.9123 at step 200 |", md, StringComparison.Ordinal);
        Assert.Contains("| Early stopping | stopped early (patience reached) |", md, StringComparison.Ordinal);
        Assert.Contains("| Wall time | 01:02:05 |", md, StringComparison.Ordinal);
        Assert.Contains("| Data (train) | `data/train.jsonl`, 4,457 examples |", md, StringComparison.Ordinal);
        Assert.Contains("| learning_rate | `5e-05` |", md, StringComparison.Ordinal);
        Assert.Contains("- TorchSharp 0.107.0.0, libtorch 2.7.1\n- Machine: Debian GNU/Linux 12 x64, 2 cores, device cpu\n- Date: 2026-11-02 10:30:00 UTC\n",
            md, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_mirrors_the_report_with_snake_case_keys()
    {
        var dir = ReportingFiles.TempDir();
        var (_, jsonPath) = RunReport.Write(dir, Summary());
        var root = JsonNode.Parse(File.ReadAllText(jsonPath))!.AsObject();

        Assert.Equal(
            ["task", "recipe", "model", "method", "data", "options", "steps", "skipped_steps", "best_metric_name", "best_metric", "best_step",
             "stopped_early", "wall_time_s", "tokens_per_s", "results", "validation", "test", "stages", "baselines", "plots", "provenance"],
            root.Select(p => p.Key));
        Assert.Equal(12_288, (long)root["method"]!["trainable_parameters"]!);
        Assert.Equal(300, (int)root["steps"]!);
        Assert.Equal(2, (int)root["skipped_steps"]!);
        Assert.True((bool)root["stopped_early"]!);
        Assert.Equal(3725.5, (double)root["wall_time_s"]!);
        Assert.Equal(0.123456, (double)root["results"]!["loss"]!["validation"]!);
        Assert.Null(root["results"]!["loss"]!["majority class"]);
        Assert.Equal(0.866, (double)root["results"]!["accuracy"]!["majority class"]!);
        Assert.Equal("metric=macro_f1|average=macro|labels=2", (string?)root["test"]!["settings"]);
        Assert.StartsWith("### Per class", (string?)root["validation"]!["report_markdown"], StringComparison.Ordinal);
        Assert.Equal(4457, (int)root["data"]![0]!["examples"]!);
        Assert.Equal("5e-05", (string?)root["options"]!["learning_rate"]);
        Assert.Null(root["plots"]!["metrics"]);
        Assert.Equal("lr.png", (string?)root["plots"]!["learning_rate"]);
        Assert.Equal("2026-11-02T10:30:00Z", (string?)root["provenance"]!["date"]);
        Assert.Equal(["tunesharp_version", "torchsharp_version", "libtorch_version", "os", "cores", "device", "date"],
            root["provenance"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Non_finite_metric_is_null_in_json_and_a_run_without_evaluation_has_no_results_table()
    {
        var summary = Summary() with
        {
            Validation = new EvalResult(new Dictionary<string, double> { ["loss"] = double.NaN }, "", ""),
            Test = null,
            Baselines = [],
            Plots = null,
        };
        var dir = ReportingFiles.TempDir();
        RunReport.Write(dir, summary);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        Assert.Null(root["validation"]!["metrics"]!["loss"]);
        Assert.Contains("| loss | NaN |", File.ReadAllText(Path.Combine(dir, "report.md")), StringComparison.Ordinal);

        var bare = Summary() with { Validation = null, Test = null, Baselines = [], Plots = null };
        RunReport.Write(dir, bare);
        var md = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.DoesNotContain("## Results", md, StringComparison.Ordinal);
        Assert.DoesNotContain("## Training curves", md, StringComparison.Ordinal);
        Assert.Equal(["report.json", "report.md"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
