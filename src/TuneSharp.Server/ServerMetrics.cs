using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace TuneSharp.Server;

/// <summary>
/// Counters and histograms for GET /metrics in Prometheus' text format: requests by route and status, request
/// latency by route, prompt and generated tokens, and the queue depth.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>Latency bucket upper bounds in seconds.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    readonly ConcurrentDictionary<(string Route, int Status), long> requests = new();
    readonly ConcurrentDictionary<string, Histogram> latency = new(StringComparer.Ordinal);
    long promptTokens;
    long generatedTokens;

    sealed class Histogram
    {
        public readonly long[] Counts = new long[Buckets.Length];
        public long Count;
        public double Sum;
    }

    /// <summary>Counts a finished request.</summary>
    public void Request(string route, int status, double seconds)
    {
        requests.AddOrUpdate((route, status), 1, (_, n) => n + 1);
        var h = latency.GetOrAdd(route, _ => new Histogram());
        lock (h)
        {
            for (int i = 0; i < Buckets.Length; i++) if (seconds <= Buckets[i]) h.Counts[i]++;
            h.Count++;
            h.Sum += seconds;
        }
    }

    /// <summary>Counts tokens read and written by a generation.</summary>
    public void Tokens(int prompt, int generated)
    {
        Interlocked.Add(ref promptTokens, prompt);
        Interlocked.Add(ref generatedTokens, generated);
    }

    /// <summary>The exposition text; <paramref name="queueDepth"/> and <paramref name="running"/> (sequences in the continuous batch) are read at scrape time.</summary>
    public string Render(int queueDepth, int running = 0)
    {
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        Line("# HELP tunesharp_requests_total HTTP requests by route and status code.");
        Line("# TYPE tunesharp_requests_total counter");
        foreach (var ((route, status), n) in requests.OrderBy(r => r.Key.Route, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
            Line(Invariant($"tunesharp_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"));
        Line("# HELP tunesharp_request_duration_seconds Time from request arrival to the last byte written.");
        Line("# TYPE tunesharp_request_duration_seconds histogram");
        foreach (var (route, h) in latency.OrderBy(r => r.Key, StringComparer.Ordinal))
            lock (h)
            {
                for (int i = 0; i < Buckets.Length; i++)
                    Line(Invariant($"tunesharp_request_duration_seconds_bucket{{route=\"{route}\",le=\"{Buckets[i]}\"}} {h.Counts[i]}"));
                Line(Invariant($"tunesharp_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {h.Count}"));
                Line(Invariant($"tunesharp_request_duration_seconds_sum{{route=\"{route}\"}} {h.Sum}"));
                Line(Invariant($"tunesharp_request_duration_seconds_count{{route=\"{route}\"}} {h.Count}"));
            }
        Line("# HELP tunesharp_prompt_tokens_total Prompt tokens processed.");
        Line("# TYPE tunesharp_prompt_tokens_total counter");
        Line(Invariant($"tunesharp_prompt_tokens_total {Interlocked.Read(ref promptTokens)}"));
        Line("# HELP tunesharp_generated_tokens_total Tokens generated.");
        Line("# TYPE tunesharp_generated_tokens_total counter");
        Line(Invariant($"tunesharp_generated_tokens_total {Interlocked.Read(ref generatedTokens)}"));
        Line("# HELP tunesharp_queue_depth Requests waiting for the model.");
        Line("# TYPE tunesharp_queue_depth gauge");
        Line(Invariant($"tunesharp_queue_depth {queueDepth}"));
        Line("# HELP tunesharp_running_sequences Sequences in the running batch (continuous batching).");
        Line("# TYPE tunesharp_running_sequences gauge");
        Line(Invariant($"tunesharp_running_sequences {running}"));
        return s.ToString();
    }

    static string Invariant(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}
