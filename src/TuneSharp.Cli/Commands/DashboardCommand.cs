using System.CommandLine;
using TuneSharp.Server.Dashboard;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp dashboard</c>: a web page over a runs folder (live charts, compare, studies, data, playground, reports, model cards).</summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "Runs folder to show (nothing outside it is served)", DefaultValueFactory = _ => "runs" };
        var data = new Option<string?>("--data") { Description = "Folder of data files for the Data page (validation, likely label errors) and playground samples; none by default" };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default; anything else needs --api-key)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port)", DefaultValueFactory = _ => 7860 };
        var apiKey = new Option<string?>("--api-key") { Description = "Key asked for once as ?key=KEY (default: the TUNESHARP_API_KEY variable, else none)" };
        var command = new Command("dashboard", "Web dashboard: runs with live charts, comparison, studies, data checks, a playground, reports and model cards")
        { runs, data, host, port, apiKey };
        command.SetAction(async (parse, cancel) =>
        {
            var options = new DashboardOptions
            {
                RunsDir = Path.GetFullPath(parse.GetValue(runs)!),
                DataDir = parse.GetValue(data) is { } d ? Path.GetFullPath(d) : null,
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ApiKey = parse.GetValue(apiKey) ?? (Environment.GetEnvironmentVariable("TUNESHARP_API_KEY") is { Length: > 0 } k ? k : null),
            };
            await using var dashboard = await DashboardServer.StartAsync(options, cancel);
            parse.InvocationConfiguration.Output.WriteLine($"dashboard for {options.RunsDir} on {dashboard.BaseAddress}{(options.ApiKey is null ? "" : "?key=...")} (Ctrl+C to stop)");
            await dashboard.WaitForShutdownAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
