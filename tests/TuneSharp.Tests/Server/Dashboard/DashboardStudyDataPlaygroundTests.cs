using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TuneSharp.Server.Dashboard;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tuning;
using TuneSharp.Tuning.Storage;

namespace TuneSharp.Tests.Server.Dashboard;

/// <summary>
/// The dashboard's study, data and playground APIs over HTTP: a study's trials as storage holds them, a data file's
/// validation and paged label-error audit (and nothing outside the data folder), a run's classifier and encoder.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class DashboardStudyDataPlaygroundTests : IAsyncLifetime
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-dashboard-sdp-").FullName;
    string Runs => Path.Combine(root, "runs");
    string Data => Path.Combine(root, "data");
    RunningDashboard dashboard = null!;
    HttpClient http = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Runs);
        Directory.CreateDirectory(Data);
        File.WriteAllText(Path.Combine(root, "secret.jsonl"), "{\"text\":\"TOP-SECRET-CONTENT\",\"label\":\"a\"}\n");
        WriteStudy(Path.Combine(Runs, "search"));
        WriteLabelled(Path.Combine(Data, "labelled.jsonl"), flipped: [7, 20, 33]);
        // A run whose model folder is a real (tiny) BERT classifier.
        RunCatalogTests.WriteRun(Runs, "clf", "model: tiny-bert-cls\ntask: sequence-classification\n");
        var model = Directory.CreateDirectory(Path.Combine(Runs, "clf", "model")).FullName;
        foreach (var f in Directory.GetFiles(TaskTestKit.Bert)) File.Copy(f, Path.Combine(model, Path.GetFileName(f)));
        dashboard = await DashboardServer.StartAsync(new DashboardOptions { RunsDir = Runs, DataDir = Data, Port = 0 });
        http = new HttpClient { BaseAddress = dashboard.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await dashboard.DisposeAsync();
        Directory.Delete(root, true);
    }

    /// <summary>A stored study of 4 trials: complete 0.5, pruned after two reports, complete 0.7, failed.</summary>
    internal static void WriteStudy(string dir)
    {
        using var storage = new SqliteStudyStorage(Path.Combine(dir, StudyView.DatabaseFile));
        var study = storage.CreateOrLoadStudy("search", maximize: true, new JsonObject { ["metric"] = "accuracy", ["trials"] = 6 });
        void Trial(double lr, TrialState state, double? value, params double[] steps)
        {
            var t = storage.ClaimTrial(study.Id, "w1", 10, TimeSpan.FromMinutes(1), 2)!;
            storage.SetParams(t.Id, "w1", new JsonObject { ["training.learning_rate"] = lr });
            for (int i = 0; i < steps.Length; i++) storage.ReportIntermediate(t.Id, (i + 1) * 10, steps[i]);
            var attrs = state == TrialState.Fail ? new JsonObject { ["error"] = "out of memory" } : new JsonObject();
            storage.Finish(t.Id, "w1", state, value, attrs);
        }
        Trial(1e-4, TrialState.Complete, 0.5, 0.3, 0.5);
        Trial(1e-2, TrialState.Pruned, 0.1, 0.1, 0.1);
        Trial(3e-4, TrialState.Complete, 0.7, 0.4, 0.7);
        Trial(1e-1, TrialState.Fail, null);
        File.WriteAllText(Path.Combine(dir, StudyReport.BestRecipeFile), "# Best trial 2\ntraining:\n  learning_rate: 0.0003\n");
    }

    /// <summary>60 rows in two classes told apart by their words; the rows at <paramref name="flipped"/> carry the other label.</summary>
    internal static void WriteLabelled(string path, int[] flipped)
    {
        string[] sport = ["goal", "match", "team", "score", "league", "coach"], food = ["bread", "soup", "salad", "cheese", "recipe", "oven"];
        var lines = Enumerable.Range(0, 60).Select(i =>
        {
            bool isSport = i % 2 == 0;
            var words = isSport ? sport : food;
            string text = string.Join(' ', Enumerable.Range(0, 6).Select(j => words[(i + j * 5) % words.Length])) + $" item {i}";
            string label = isSport ^ flipped.Contains(i) ? "sport" : "food";
            return new JsonObject { ["text"] = text, ["label"] = label }.ToJsonString();
        });
        File.WriteAllLines(path, lines);
    }

    [Fact]
    public async Task A_study_shows_every_trial_its_states_and_the_best()
    {
        var runs = JsonNode.Parse(await http.GetStringAsync("api/runs"))!.AsArray();
        Assert.Equal("study", (string)runs.Single(r => (string)r!["name"]! == "search")!["status"]!);
        var body = JsonNode.Parse(await http.GetStringAsync("api/studies/search"))!;
        var study = body["studies"]![0]!;
        Assert.Equal("maximize", (string)study["direction"]!);
        Assert.Equal("accuracy", (string)study["metric"]!);
        Assert.Equal(2, (int)study["best_trial"]!);
        Assert.Equal(0.7, (double)study["best_value"]!);
        Assert.Equal(["complete", "pruned", "complete", "fail"], study["trials"]!.AsArray().Select(t => (string)t!["state"]!));
        Assert.Equal(2, (int)study["counts"]!["complete"]!);
        Assert.Equal(1, (int)study["counts"]!["pruned"]!);
        var pruned = study["trials"]![1]!;
        Assert.Equal("[[10,0.1],[20,0.1]]", pruned["intermediate"]!.ToJsonString());
        Assert.Equal(0.01, (double)pruned["params"]!["training.learning_rate"]!);
        Assert.Equal("out of memory", (string)study["trials"]![3]!["error"]!);
        Assert.Contains("learning_rate: 0.0003", (string)body["best_recipe"]!, StringComparison.Ordinal);
        using var notStudy = await http.GetAsync("api/studies/clf");
        Assert.Equal(HttpStatusCode.NotFound, notStudy.StatusCode);
    }

    [Fact]
    public async Task A_data_file_is_validated_and_its_flipped_labels_come_first_in_pages()
    {
        var files = JsonNode.Parse(await http.GetStringAsync("api/data/files"))!;
        Assert.Equal(["labelled.jsonl"], files["files"]!.AsArray().Select(f => (string)f!));
        var validation = JsonNode.Parse(await http.GetStringAsync("api/data/validate?file=labelled.jsonl"))!;
        Assert.True((bool)validation["valid"]!);
        Assert.Equal(60, (int)validation["files"]![0]!["records"]!);
        Assert.Equal("labelled.jsonl", (string)validation["files"]![0]!["file"]!); // not the server's full path
        Assert.Equal(31, (int)validation["label_distribution"]!["sport"]!); // 30 sport rows, one flipped away, two flipped in

        var first = JsonNode.Parse(await http.GetStringAsync("api/data/audit?file=labelled.jsonl&limit=3"))!;
        int flagged = (int)first["flagged"]!;
        Assert.InRange(flagged, 3, 10);
        // Lines are 1-based: rows 7, 20 and 33 are lines 8, 21 and 34.
        Assert.Equal([8L, 21L, 34L], first["flags"]!.AsArray().Select(f => (long)f!["line"]!).Order());
        Assert.Equal([1, 2, 3], first["flags"]!.AsArray().Select(f => (int)f!["rank"]!));
        var second = JsonNode.Parse(await http.GetStringAsync("api/data/audit?file=labelled.jsonl&offset=3&limit=3"))!;
        Assert.Equal(flagged, (int)second["flagged"]!);
        Assert.All(second["flags"]!.AsArray(), f => Assert.True((int)f!["rank"]! > 3));
    }

    [Theory]
    [InlineData("api/data/validate?file=..%2Fsecret.jsonl")]
    [InlineData("api/data/audit?file=%2Fetc%2Fpasswd")]
    [InlineData("api/data/validate?file=nope.jsonl")]
    [InlineData("api/data/validate")]
    [InlineData("api/data/audit?file=labelled.jsonl&limit=0")]
    [InlineData("api/data/audit?file=labelled.jsonl&label_field=missing")]
    public async Task Files_outside_the_data_folder_and_bad_queries_are_one_clear_error(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("TOP-SECRET", body, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace((string?)JsonNode.Parse(body)!["error"]));
    }

    [Fact]
    public async Task Without_a_data_folder_the_data_page_says_so()
    {
        await using var bare = await DashboardServer.StartAsync(new DashboardOptions { RunsDir = Runs, Port = 0 });
        using var client = new HttpClient { BaseAddress = bare.BaseAddress };
        Assert.False((bool)JsonNode.Parse(await client.GetStringAsync("api/data/files"))!["folder"]!);
        using var response = await client.GetAsync("api/data/validate?file=labelled.jsonl");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("--data", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runs_classifier_classifies_and_its_encoder_ranks_a_sample()
    {
        var models = JsonNode.Parse(await http.GetStringAsync("api/playground/models"))!.AsArray();
        var clf = models.Single(m => (string)m!["run"]! == "clf")!;
        Assert.Equal(["classify", "embed"], clf["uses"]!.AsArray().Select(u => (string)u!));

        using var classified = await http.PostAsJsonAsync("api/playground/classify", new { run = "clf", text = "hello world" });
        var c = JsonNode.Parse(await classified.Content.ReadAsStringAsync())!;
        Assert.True(classified.StatusCode == HttpStatusCode.OK, c.ToJsonString());
        var probs = c["probs"]!.AsObject().Select(p => (double)p.Value!).ToList();
        Assert.Equal(3, probs.Count);
        Assert.Equal(1.0, probs.Sum(), 3);
        Assert.Equal(c["probs"]!.AsObject().First().Key, (string)c["label"]!); // sorted, most likely first

        // The query itself is in the sample, so it is its own nearest neighbour at cosine 1.
        string[] sample = ["the cat sat", "hello world", "stock prices fell"];
        using var embedded = await http.PostAsJsonAsync("api/playground/embed", new { run = "clf", text = "hello world", sample, k = 2 });
        var e = JsonNode.Parse(await embedded.Content.ReadAsStringAsync())!;
        Assert.True(embedded.StatusCode == HttpStatusCode.OK, e.ToJsonString());
        Assert.Equal(2, e["neighbours"]!.AsArray().Count);
        Assert.Equal("hello world", (string)e["neighbours"]![0]!["text"]!);
        Assert.Equal(1.0, (double)e["neighbours"]![0]!["score"]!, 3);
        Assert.Equal(3, (int)e["sample_size"]!);

        using var fromFile = await http.PostAsJsonAsync("api/playground/embed", new { run = "clf", text = "goal match team", file = "labelled.jsonl" });
        Assert.Equal(60, (int)JsonNode.Parse(await fromFile.Content.ReadAsStringAsync())!["sample_size"]!);
    }

    [Theory]
    [InlineData("classify", "{\"run\":\"nope\",\"text\":\"x\"}", "run")]
    [InlineData("classify", "{\"run\":\"search\",\"text\":\"x\"}", "model folder")]
    [InlineData("classify", "{\"run\":\"clf\",\"text\":\"  \"}", "text")]
    [InlineData("embed", "{\"run\":\"clf\",\"text\":\"x\"}", "sample")]
    [InlineData("embed", "{\"run\":\"clf\",\"text\":\"x\",\"file\":\"../secret.jsonl\"}", "file")]
    [InlineData("embed", "{\"run\":\"clf\",\"text\":\"x\",\"sample\":[\"a\"],\"k\":0}", "k")]
    public async Task Bad_playground_requests_name_the_field(string route, string json, string named)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/playground/" + route, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(named, (string)JsonNode.Parse(body)!["error"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("TOP-SECRET", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_body_is_a_bad_request_not_a_server_error()
    {
        using var content = new StringContent("{\"run\": \"clf\", ", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/playground/classify", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
