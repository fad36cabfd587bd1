using TuneSharp.Server.Dashboard;

namespace TuneSharp.Tests.Server.Dashboard;

/// <summary>The runs list: finished runs read from report.json, live ones from metrics.jsonl, malformed folders as broken.</summary>
public sealed class RunCatalogTests : IDisposable
{
    readonly string runs = Directory.CreateTempSubdirectory("tunesharp-catalog-").FullName;

    public void Dispose() => Directory.Delete(runs, true);

    internal static void WriteRun(string runs, string name, string config, string? metrics = null, string? report = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(runs, name)).FullName;
        if (config.Length > 0) File.WriteAllText(Path.Combine(dir, "config.yaml"), config);
        if (metrics is not null) File.WriteAllText(Path.Combine(dir, "metrics.jsonl"), metrics);
        if (report is not null) File.WriteAllText(Path.Combine(dir, "report.json"), report);
    }

    const string Config = "model: tiny\ntask: sequence-classification\nmethod:\n  type: lora\n  lora: {r: 8}\n";

    [Fact]
    public void A_finished_run_shows_its_report_and_a_live_one_shows_running()
    {
        WriteRun(runs, "done", Config, "{\"split\":\"train\",\"step\":1,\"loss\":1}\n",
            """{"task":"sequence-classification","recipe":"r.yaml","method":{"name":"LoRA"},"best_metric_name":"accuracy","best_metric":0.75,"wall_time_s":12.5}""");
        WriteRun(runs, "live", Config, "{\"split\":\"train\",\"step\":1,\"loss\":1}\n{\"split\":\"tr");

        var list = new RunCatalog(runs).List();

        var done = Assert.Single(list, r => r.Name == "done");
        Assert.Equal(("finished", "tiny", "LoRA", "accuracy", 0.75, 12.5), (done.Status, done.Model, done.Method, done.BestMetricName, done.BestMetric, done.DurationS));
        var live = Assert.Single(list, r => r.Name == "live");
        Assert.Equal(("running", "lora"), (live.Status, live.Method));
        // The half-written last line is skipped, not an error.
        Assert.Single(RunCatalog.Metrics(Path.Combine(runs, "live")));
    }

    [Fact]
    public void Malformed_folders_are_listed_as_broken_with_the_reason()
    {
        WriteRun(runs, "bad-yaml", "model: [unclosed\n");
        WriteRun(runs, "bad-report", Config, report: "{not json");
        WriteRun(runs, "report-array", Config, report: "[1, 2]");
        Directory.CreateDirectory(Path.Combine(runs, "not-a-run")); // no run files at all: not listed

        var list = new RunCatalog(runs).List();

        Assert.Equal(["bad-report", "bad-yaml", "report-array"], list.Select(r => r.Name).Order());
        Assert.All(list, r => Assert.Equal("broken", r.Status));
        Assert.Contains("config.yaml: line", list.Single(r => r.Name == "bad-yaml").BrokenReason);
        Assert.Contains("not a JSON object", list.Single(r => r.Name == "report-array").BrokenReason);
        Assert.False(string.IsNullOrEmpty(list.Single(r => r.Name == "bad-report").BrokenReason));
    }

    [Fact]
    public void Unknown_or_escaping_run_names_are_not_found()
    {
        var catalog = new RunCatalog(runs);
        Assert.Null(catalog.Read("nope"));
        Assert.Null(catalog.Read(".."));
        Assert.Null(catalog.FolderOf("../" + Path.GetFileName(runs)));
    }

    [Fact]
    public void The_recipe_diff_keeps_only_keys_that_differ()
    {
        var a = FlatRecipe.Parse(Config + "training: {learning_rate: 1.0e-3, epochs: 3}\n");
        var b = FlatRecipe.Parse(Config.Replace("r: 8", "r: 16") + "training: {learning_rate: 1.0e-3, epochs: 3}\nseed: 2\n");

        var diff = FlatRecipe.Diff([a, b]);

        Assert.Equal(["method.lora.r", "seed"], diff.Keys);
        Assert.Equal(["8", "16"], diff["method.lora.r"]);
        Assert.Equal(["", "2"], diff["seed"]);
    }
}
