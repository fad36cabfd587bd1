using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TuneSharp.Server.Dashboard;

namespace TuneSharp.Tests.Server.Dashboard;

/// <summary>The dashboard over HTTP: traversal answers 404, broken runs answer 200 with the reason, the key is enforced.</summary>
public sealed class DashboardHttpTests : IAsyncLifetime
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-dashboard-").FullName;
    string Runs => Path.Combine(root, "runs");
    RunningDashboard dashboard = null!;
    HttpClient http = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Runs);
        File.WriteAllText(Path.Combine(root, "secret.txt"), "TOP-SECRET-CONTENT");
        RunCatalogTests.WriteRun(Runs, "ok", "model: tiny\nseed: 1\n", "{\"split\":\"train\",\"step\":1,\"loss\":2.5}\n");
        RunCatalogTests.WriteRun(Runs, "other", "model: tiny\nseed: 2\n", "{\"split\":\"train\",\"step\":1,\"loss\":2.0}\n");
        RunCatalogTests.WriteRun(Runs, "broken", "model: [unclosed\n");
        dashboard = await DashboardServer.StartAsync(new DashboardOptions { RunsDir = Runs, Port = 0 });
        http = new HttpClient { BaseAddress = dashboard.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await dashboard.DisposeAsync();
        Directory.Delete(root, true);
    }

    [Theory]
    [InlineData("api/runs/ok/files/..%2F..%2Fsecret.txt")]
    [InlineData("api/runs/ok/files/%2Fetc%2Fpasswd")]
    [InlineData("api/runs/..%2F/files/secret.txt")]
    [InlineData("api/runs/ok/files/nope.txt")]
    [InlineData("api/runs/nope")]
    [InlineData("static/..%2F..%2FTuneSharp.Server.dll")]
    public async Task Paths_leaving_the_runs_folder_are_not_found(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("TOP-SECRET", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_with_plots_opens_with_their_names_sorted()
    {
        File.WriteAllBytes(Path.Combine(Runs, "ok", "loss.png"), [1]);
        File.WriteAllBytes(Path.Combine(Runs, "ok", "lr.png"), [1]);
        File.WriteAllBytes(Path.Combine(Runs, "ok", "f1.png"), [1]);
        var detail = JsonNode.Parse(await http.GetStringAsync("api/runs/ok"))!;
        Assert.Equal(["f1.png", "loss.png", "lr.png"], detail["plots"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public async Task A_file_of_a_run_is_served()
    {
        Assert.Contains("\"loss\":2.5", await http.GetStringAsync("api/runs/ok/files/metrics.jsonl"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_run_is_listed_and_opens_with_its_reason_not_a_500()
    {
        var list = JsonNode.Parse(await http.GetStringAsync("api/runs"))!.AsArray();
        Assert.Equal("broken", (string)list.Single(r => (string)r!["name"]! == "broken")!["status"]!);
        using var response = await http.GetAsync("api/runs/broken");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("config.yaml: line", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["summary"]!["broken_reason"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_gives_the_recipe_diff_and_needs_two_runs()
    {
        var c = JsonNode.Parse(await http.GetStringAsync("api/compare?runs=ok,other"))!;
        Assert.Equal(["seed"], c["diff"]!.AsObject().Select(p => p.Key));
        using var one = await http.GetAsync("api/compare?runs=ok");
        Assert.Equal(HttpStatusCode.BadRequest, one.StatusCode);
    }

    [Fact]
    public async Task The_metrics_stream_sends_existing_lines_then_appended_ones()
    {
        using var response = await http.GetAsync("api/runs/ok/metrics/stream", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        async Task<string> NextData() { while (await reader.ReadLineAsync() is { } l) if (l.StartsWith("data: ", StringComparison.Ordinal)) return l; return ""; }
        Assert.Contains("\"step\":1", await NextData(), StringComparison.Ordinal);
        File.AppendAllText(Path.Combine(Runs, "ok", "metrics.jsonl"), "{\"split\":\"train\",\"step\":2,");
        await Task.Delay(400); // a partial line is held back until its newline arrives
        File.AppendAllText(Path.Combine(Runs, "ok", "metrics.jsonl"), "\"loss\":2.1}\n");
        Assert.Contains("\"step\":2,\"loss\":2.1", await NextData().WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_key_every_route_needs_it_and_a_query_key_sets_the_cookie()
    {
        await using var keyed = await DashboardServer.StartAsync(new DashboardOptions { RunsDir = Runs, Port = 0, ApiKey = "k1" });
        using var handler = new HttpClientHandler { UseCookies = true };
        using var client = new HttpClient(handler) { BaseAddress = keyed.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("?key=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("?key=k1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/runs")).StatusCode); // the cookie now
        using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri(keyed.BaseAddress, "api/runs"));
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "k1");
        using var plain = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await plain.SendAsync(bearer)).StatusCode);
    }

    [Fact]
    public void Binding_beyond_loopback_without_a_key_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => new DashboardOptions { RunsDir = Runs, Host = "0.0.0.0" }.Validate());
        Assert.Contains("--api-key", e.Message, StringComparison.Ordinal);
        new DashboardOptions { RunsDir = Runs, Host = "0.0.0.0", ApiKey = "k" }.Validate();
        Assert.Throws<UserError>(() => new DashboardOptions { RunsDir = Path.Combine(root, "missing") }.Validate());
    }
}
