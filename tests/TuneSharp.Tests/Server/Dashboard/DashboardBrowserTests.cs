using Microsoft.Playwright;
using TuneSharp.Recipes;
using TuneSharp.Server;
using TuneSharp.Server.Dashboard;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tests.Training;

namespace TuneSharp.Tests.Server.Dashboard;

/// <summary>
/// End to end in a real browser: the runs list, a run page whose loss chart gains points while a real (tiny) training
/// runs, the comparison of two trained runs with their recipe diff, a streamed chat answer in the playground, a
/// study's trials, a data file's validation and label errors paged, and a run's classifier and encoder.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class DashboardBrowserTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-dashboard-e2e-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [SkippableFact]
    public async Task A_run_page_charts_a_training_live_and_two_runs_compare()
    {
        var (playwright, browser) = await BrowserKit.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var runs = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        var recipePath = FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "full");
        // The run folder exists (empty) before training starts, so the page is open from the first line on.
        Directory.CreateDirectory(Path.Combine(runs, "live"));
        await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions { RunsDir = runs, Port = 0 });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        string dir = BrowserKit.Artifacts();
        var errors = new List<string>();
        page.PageError += (_, e) => { lock (errors) errors.Add(e); File.AppendAllText(Path.Combine(dir, "page-errors.txt"), e + "\n"); };

        await page.GotoAsync(new Uri(dashboard.BaseAddress, "run?name=live").ToString());
        // Every value the point counter takes, recorded in the page as it changes.
        await page.EvaluateAsync("""
            () => { window.seen = []; new MutationObserver(() => window.seen.push(+document.getElementById('points').textContent))
                .observe(document.getElementById('points'), { childList: true, characterData: true, subtree: true }); }
            """);
        var training = Task.Run(() => RecipeRunner.Run(RecipeLoader.Load(recipePath,
            ["output_dir=" + Path.Combine(runs, "live"), "training.epochs=4", "training.logging_steps=1"])));
        var outcome = await training.WaitAsync(TimeSpan.FromMinutes(3));
        int trainLines = RunCatalog.Metrics(Path.Combine(runs, "live")).Count(e => (string?)e["split"] == "train" && e["loss"] is not null);
        int validationLines = RunCatalog.Metrics(Path.Combine(runs, "live")).Count(e => (string?)e["split"] == "validation" && e["loss"] is not null);
        await Assertions.Expect(page.Locator("#points")).ToHaveTextAsync((trainLines + validationLines * 2).ToString(), new() { Timeout = 20000 });
        var seen = await page.EvaluateAsync<int[]>("() => window.seen");
        Assert.True(seen.Distinct().Count(v => v > 0) >= 2, $"the chart should gain points in steps while training runs, saw {string.Join(",", seen)}");
        await Assertions.Expect(page.Locator("#chart-loss canvas")).ToHaveCountAsync(1);
        await page.ReloadAsync(); // finished now: the report and the model card are there
        await Assertions.Expect(page.Locator("#summary")).ToContainTextAsync("finished");
        await Assertions.Expect(page.Locator("#card")).Not.ToHaveTextAsync("(no model card yet)");
        await Assertions.Expect(page.Locator("#points")).ToHaveTextAsync((trainLines + validationLines * 2).ToString(), new() { Timeout = 20000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "run.png"), FullPage = false });

        // A second real run with another learning rate, then the list and the comparison.
        RecipeRunner.Run(RecipeLoader.Load(recipePath, ["output_dir=" + Path.Combine(runs, "lr-high"), "training.learning_rate=0.003"]));
        await page.GotoAsync(dashboard.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#runs tbody tr[data-run=live]")).ToContainTextAsync("finished");
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "runs.png") });
        foreach (var name in new[] { "live", "lr-high" }) await page.Locator($"#runs tbody tr[data-run={name}] input").CheckAsync();
        await page.Locator("#compare").ClickAsync();
        await Assertions.Expect(page.Locator("#diff tbody")).ToContainTextAsync("training.learning_rate");
        await Assertions.Expect(page.Locator("#diff tbody")).ToContainTextAsync("0.003");
        await Assertions.Expect(page.Locator("#diff tbody")).Not.ToContainTextAsync("model"); // equal keys are left out
        await Assertions.Expect(page.Locator("#results tbody")).ToContainTextAsync("accuracy");
        await Assertions.Expect(page.Locator("#chart-compare canvas")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "compare.png"), FullPage = true });
        Assert.NotNull(outcome.ModelDir);
    }

    [SkippableFact]
    public async Task The_playground_streams_a_chat_answer_from_the_served_model()
    {
        var (playwright, browser) = await BrowserKit.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var runs = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        await using var server = await ServerKit.StartAsync(ServerKit.Llama, o => o with { DashboardRuns = runs });
        var page = await browser.NewPageAsync();

        // The served API key is given once in the address; the page's calls to /v1 then carry its cookie.
        await page.GotoAsync(new Uri(server.BaseAddress, "dashboard/playground?key=" + ServerKit.ApiKey).ToString());
        await page.Locator("#chat-input").FillAsync("Hello there");
        await page.Locator("#chat-form button").ClickAsync();
        var answer = page.Locator(".msg-assistant");
        await Assertions.Expect(answer).ToHaveAttributeAsync("data-done", "1", new() { Timeout = 60000 });
        Assert.False(string.IsNullOrWhiteSpace(await answer.TextContentAsync()));
        Assert.True(int.Parse(await answer.GetAttributeAsync("data-chunks") ?? "0") > 1, "the answer should arrive in several streamed chunks");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserKit.Artifacts(), "playground.png") });

        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("dashboard/api/runs")).StatusCode);
    }

    [SkippableFact]
    public async Task Study_data_and_model_pages_show_what_the_files_hold()
    {
        var (playwright, browser) = await BrowserKit.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var runs = Directory.CreateDirectory(Path.Combine(root, "runs")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        DashboardStudyDataPlaygroundTests.WriteStudy(Path.Combine(runs, "search"));
        DashboardStudyDataPlaygroundTests.WriteLabelled(Path.Combine(data, "labelled.jsonl"), flipped: [3, 10, 17, 24, 31, 38, 45, 52, 59, 1, 12, 23]);
        RunCatalogTests.WriteRun(runs, "clf", "model: tiny-bert-cls\n");
        var model = Directory.CreateDirectory(Path.Combine(runs, "clf", "model")).FullName;
        foreach (var f in Directory.GetFiles(TaskTestKit.Bert)) File.Copy(f, Path.Combine(model, Path.GetFileName(f)));
        await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions { RunsDir = runs, DataDir = data, Port = 0 });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        string dir = BrowserKit.Artifacts();

        // The study, opened from the runs list.
        await page.GotoAsync(dashboard.BaseAddress.ToString());
        await page.Locator("#runs tbody tr[data-run=search] a").ClickAsync();
        await Assertions.Expect(page.Locator("#trials tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#summary")).ToContainTextAsync("best #2: 0.7");
        await Assertions.Expect(page.Locator("#trials tbody tr[data-state=pruned]")).ToContainTextAsync("training.learning_rate=0.01");
        await Assertions.Expect(page.Locator("#trials tbody tr.best")).ToContainTextAsync("0.0003");
        await Assertions.Expect(page.Locator("#chart-history canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#chart-intermediate canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#best")).ToContainTextAsync("learning_rate: 0.0003");
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "study.png"), FullPage = true });

        // The data page: validation, then the audit a page of 10 at a time.
        await page.GotoAsync(new Uri(dashboard.BaseAddress, "data").ToString());
        await page.Locator("#data-form button").ClickAsync();
        await Assertions.Expect(page.Locator("#validation-summary")).ToHaveAttributeAsync("data-valid", "true", new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#validation-summary")).ToContainTextAsync("60 records");
        await Assertions.Expect(page.Locator("#audit-summary")).ToHaveAttributeAsync("data-flagged", new System.Text.RegularExpressions.Regex("^[1-9][0-9]+$"), new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator("#flags tbody tr")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("#flags tbody tr").First).ToContainTextAsync("1");
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "data.png"), FullPage = true });
        await page.Locator("#next").ClickAsync();
        await Assertions.Expect(page.Locator("#page")).ToContainTextAsync("11–");
        await Assertions.Expect(page.Locator("#prev")).ToBeEnabledAsync();

        // The playground: the run's classifier, then its encoder over sample texts.
        await page.GotoAsync(new Uri(dashboard.BaseAddress, "playground").ToString());
        await page.Locator("#model-run").SelectOptionAsync("clf");
        await page.Locator("#model-text").FillAsync("hello world");
        await page.Locator("#classify").ClickAsync();
        await Assertions.Expect(page.Locator("#probs tbody tr")).ToHaveCountAsync(3, new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#probs")).ToHaveAttributeAsync("data-label", new System.Text.RegularExpressions.Regex("^LABEL_[0-2]$"));
        await page.Locator("#sample-texts").FillAsync("the cat sat\nhello world\nstock prices fell");
        await page.Locator("#embed").ClickAsync();
        await Assertions.Expect(page.Locator("#neighbours tbody tr")).ToHaveCountAsync(3, new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#neighbours tbody tr").First).ToContainTextAsync("hello world");
        await page.Locator("#sample-file").SelectOptionAsync("labelled.jsonl");
        await page.Locator("#embed").ClickAsync();
        await Assertions.Expect(page.Locator("#neighbours tbody tr")).ToHaveCountAsync(5, new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#model-error")).ToBeEmptyAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "playground-models.png"), FullPage = true });
    }
}
