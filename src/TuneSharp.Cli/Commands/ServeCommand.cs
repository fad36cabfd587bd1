using System.CommandLine;
using TuneSharp.Server;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp serve</c>: an OpenAI-compatible HTTP server for a model folder and its LoRA adapters.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model folder: a causal LM, a sequence classifier (/v1/classify), or an encoder (/v1/embeddings; minilm and arctic-xs name the imported encoders)", Required = true };
        var adapters = new Option<string[]>("--adapter") { Description = "LoRA adapter NAME=DIR, selected by the request's model name (repeatable)" };
        var host = new Option<string>("--host") { Description = "Address to bind (loopback by default; anything else exposes the server)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port)", DefaultValueFactory = _ => 8080 };
        var apiKey = new Option<string?>("--api-key") { Description = "Require Authorization: Bearer KEY on every route but /health (default: the TUNESHARP_API_KEY variable, else none)" };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests that may wait for the model; more get 429", DefaultValueFactory = _ => 64 };
        var maxBody = new Option<long>("--max-body-bytes") { Description = "Largest request body; larger ones get 413", DefaultValueFactory = _ => 1 << 20 };
        var maxPrompt = new Option<int?>("--max-prompt-tokens") { Description = "Longest prompt in tokens (default: the context length)" };
        var timeout = new Option<double>("--timeout-s") { Description = "Seconds a request may take, queueing included", DefaultValueFactory = _ => 300 };
        var threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: one per core; 1 is often faster on a busy machine)" };
        var modelId = new Option<string?>("--model-id") { Description = "Name of the base model in /v1/models (default: the folder name)" };
        var head = new Option<string?>("--head") { Description = "Multi-task model folder: the sequence-classification head to serve on /v1/classify" };
        var batching = new Option<string>("--batching") { Description = "continuous: requests join and leave one running batch at every decode step; none: one request at a time", DefaultValueFactory = _ => "continuous" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Continuous batching: sequences decoded together at most", DefaultValueFactory = _ => 64 };
        var prefillChunk = new Option<int>("--prefill-chunk") { Description = "Continuous batching: prompt tokens of one request read per step, so running streams keep flowing", DefaultValueFactory = _ => 128 };
        var prefillBudget = new Option<int>("--prefill-budget") { Description = "Continuous batching: prompt tokens that joining requests may read per step, all together (the first always joins)", DefaultValueFactory = _ => 512 };
        var dashboard = new Option<string?>("--dashboard") { Description = "Also mount the web dashboard over this runs folder at /dashboard (its playground chats with the served model)" };
        var device = DeviceOption.Create();

        var command = new Command("serve", "Serve a model over an OpenAI-compatible HTTP API (chat, completions, embeddings, classify)")
        { model, adapters, host, port, apiKey, maxQueue, maxBody, maxPrompt, timeout, threads, modelId, head, batching, maxBatch, prefillChunk, prefillBudget, dashboard, device };
        command.SetAction(async (parse, cancel) =>
        {
            var options = new ServeOptions
            {
                ModelDir = Models.Import.ModelReference.Resolve(parse.GetValue(model)!, Environment.CurrentDirectory),
                Adapters = ParseAdapters(parse.GetValue(adapters) ?? []),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ApiKey = parse.GetValue(apiKey) ?? (Environment.GetEnvironmentVariable("TUNESHARP_API_KEY") is { Length: > 0 } k ? k : null),
                MaxQueue = parse.GetValue(maxQueue),
                MaxBodyBytes = parse.GetValue(maxBody),
                MaxPromptTokens = parse.GetValue(maxPrompt),
                Timeout = parse.GetValue(timeout) is var s && s > 0 && s < 1e6 ? TimeSpan.FromSeconds(s) : throw new UserError($"--timeout-s: must be in (0, 1e6), got {s}"),
                ModelId = parse.GetValue(modelId),
                Head = parse.GetValue(head),
                Threads = parse.GetValue(threads),
                Batching = parse.GetValue(batching)!,
                BatchLimits = new() { MaxBatch = parse.GetValue(maxBatch), PrefillChunk = parse.GetValue(prefillChunk), PrefillBudget = parse.GetValue(prefillBudget) },
                Device = parse.GetValue(device)!,
                DashboardRuns = parse.GetValue(dashboard) is { } runsDir ? Path.GetFullPath(runsDir) : null,
            };
            var o = parse.InvocationConfiguration.Output;
            await using var server = await OpenAIServer.StartAsync(options, cancel);
            o.WriteLine($"serving {string.Join(", ", server.Context.Model.ModelIds)} on {server.BaseAddress}v1 (Ctrl+C to stop)");
            if (options.DashboardRuns is not null) o.WriteLine($"dashboard on {server.BaseAddress}dashboard/");
            if (options.ApiKey is null && !System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(server.BaseAddress.Host)))
                parse.InvocationConfiguration.Error.WriteLine("warning: listening beyond loopback without --api-key");
            await server.WaitForShutdownAsync(CancellationToken.None);
            o.WriteLine("stopping: finishing in-flight requests");
            return 0;
        });
        return command;
    }

    /// <summary>NAME=DIR pairs; a repeated name or a missing '=' is a user error.</summary>
    public static IReadOnlyDictionary<string, string> ParseAdapters(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            int eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == value.Length - 1) throw new UserError($"--adapter: expected NAME=DIR, got '{value}'");
            if (!result.TryAdd(value[..eq], value[(eq + 1)..])) throw new UserError($"--adapter: the name '{value[..eq]}' is given twice");
        }
        return result;
    }
}
