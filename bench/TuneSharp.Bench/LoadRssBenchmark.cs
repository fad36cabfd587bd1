using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.IO;

namespace TuneSharp.Bench;

/// <summary>
/// load-rss: how much memory loading a checkpoint costs. The parent writes a checkpoint of a few large F32 tensors
/// to a temp folder, then starts a fresh child process (VmHWM cannot be reset) that
///   1. starts TorchSharp/libtorch and measures the runtime baseline RSS (VmRSS),
///   2. builds a module whose parameters match the checkpoint (torch.empty: pages not yet resident),
///   3. loads the checkpoint with StateDictLoader and reads the peak RSS (VmHWM).
/// Ratio = (peak RSS − runtime baseline) / checkpoint file size. The module's own parameters are inside the peak:
/// a perfect loader scores 1.0 (the parameters themselves), two full copies score 2.0.
/// Mode "naive" reads every tensor into memory first and copies afterwards, for comparison. Mode "bf16" stores the
/// checkpoint in BF16 and loads it into F32 parameters (the usual fine-tuning case): each tensor then goes through
/// one BF16 temporary, and the peak should be the module plus the largest temporary.
/// </summary>
internal static class LoadRssBenchmark
{
    public const string ChildName = "_load-rss-child";

    const int Columns = 4096; // each tensor is (rows, 4096) F32

    public static int Run(string[] args)
    {
        long mb = 500;
        string mode = "direct";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mb": mb = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--mode": mode = args[++i]; break;
                default: Console.Error.WriteLine($"load-rss: unknown option {args[i]}"); return 2;
            }
        }
        if (mode is not ("direct" or "naive" or "bf16")) { Console.Error.WriteLine("load-rss: --mode direct|naive|bf16"); return 2; }

        string dir = Path.Combine(Path.GetTempPath(), "tunesharp-load-rss-" + Guid.NewGuid().ToString("N"));
        try
        {
            var shapes = Shapes(mb * 1_000_000);
            var sw = Stopwatch.StartNew();
            Generate(dir, shapes, mode == "bf16" ? torch.ScalarType.BFloat16 : null);
            long fileBytes = new FileInfo(Path.Combine(dir, Checkpoint.SingleFileName)).Length;
            Console.WriteLine($"checkpoint      {Path.Combine(dir, Checkpoint.SingleFileName)}");
            Console.WriteLine($"tensors         {shapes.Count} × {(mode == "bf16" ? "BF16" : "F32")} {string.Join(", ", shapes.Select(s => $"[{s[0]}, {s[1]}]").Distinct())}");
            Console.WriteLine($"file size       {Mb(fileBytes)} MB ({fileBytes} bytes), written in {sw.Elapsed.TotalSeconds:F1} s");

            var child = RunChildProcess(dir, mode);
            long baseline = child["baseline_rss"], afterModule = child["module_rss"], peak = child["peak_rss"];
            Console.WriteLine($"mode            {mode}");
            Console.WriteLine($"runtime RSS     {Mb(baseline)} MB   (TorchSharp + libtorch started, before the module)");
            Console.WriteLine($"module RSS      {Mb(afterModule)} MB   (parameters allocated with torch.empty, not yet touched)");
            Console.WriteLine($"peak RSS        {Mb(peak)} MB   (VmHWM of the child, load included)");
            Console.WriteLine($"after load RSS  {Mb(child["final_rss"])} MB");
            Console.WriteLine($"load time       {child["load_ms"] / 1000.0:F2} s ({fileBytes / 1e6 / (child["load_ms"] / 1000.0):F0} MB/s, file in page cache)");
            double ratio = (double)(peak - baseline) / fileBytes;
            // The ≤ 1.3 target is for an F32 file into F32 parameters; a BF16 file into F32 parameters needs 2× its size.
            string verdict = mode == "bf16" ? "(BF16 file into F32 parameters: see module ratio)"
                : $"target ≤ 1.3 → {(ratio <= 1.3 ? "PASS" : "FAIL")}";
            Console.WriteLine($"ratio           {ratio:F3}   = (peak − runtime) / file size; {verdict}");
            long moduleBytes = child["module_bytes"];
            Console.WriteLine($"module ratio    {(double)(peak - baseline) / moduleBytes:F3}   = (peak − runtime) / F32 parameter bytes ({Mb(moduleBytes)} MB); "
                + $"model + largest stored tensor = {(double)(moduleBytes + child["largest_stored"]) / moduleBytes:F3}");
            return 0;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>About <paramref name="totalBytes"/> of F32 split into 5 tensors (rows, 4096).</summary>
    static List<long[]> Shapes(long totalBytes)
    {
        const int count = 5;
        long rows = Math.Max(1, totalBytes / count / 4 / Columns);
        return Enumerable.Range(0, count).Select(_ => new[] { rows, (long)Columns }).ToList();
    }

    static void Generate(string dir, List<long[]> shapes, torch.ScalarType? dtype)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(0);
        var tensors = shapes.Select((s, i) => KeyValuePair.Create($"w{i}", torch.rand(s))).ToList();
        CheckpointWriter.Save(dir, tensors, dtype: dtype);
    }

    static Dictionary<string, long> RunChildProcess(string dir, string mode)
    {
        // Under `dotnet run` ProcessPath is the apphost; under `dotnet TuneSharp.Bench.dll` it is dotnet itself.
        string host = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(typeof(LoadRssBenchmark).Assembly.Location);
        foreach (var a in new[] { ChildName, dir, mode }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"child failed ({p.ExitCode}): {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('='))
            .ToDictionary(kv => kv[0], kv => long.Parse(kv[1], CultureInfo.InvariantCulture));
    }

    /// <summary>The measured process: prints key=value lines (bytes, milliseconds).</summary>
    public static int RunChild(string[] args)
    {
        string dir = args[0], mode = args[1];
        using (torch.zeros(1)) { } // loads libtorch and initialises its allocator
        GC.Collect();
        long baseline = ProcStatus.Rss();

        using var checkpoint = Checkpoint.Open(dir);
        var shapes = checkpoint.Keys.Order(StringComparer.Ordinal).Select(k => (k, checkpoint.Info(k).Shape)).ToList();
        using var module = new FlatModule(shapes);
        long moduleRss = ProcStatus.Rss();

        var sw = Stopwatch.StartNew();
        if (mode != "naive") StateDictLoader.Load(module, checkpoint);
        else LoadNaively(module, checkpoint);
        sw.Stop();

        Console.WriteLine($"baseline_rss={baseline}");
        Console.WriteLine($"module_rss={moduleRss}");
        Console.WriteLine($"peak_rss={ProcStatus.PeakRss()}");
        Console.WriteLine($"final_rss={ProcStatus.Rss()}");
        Console.WriteLine($"load_ms={sw.ElapsedMilliseconds}");
        Console.WriteLine($"module_bytes={module.parameters().Sum(p => p.numel() * p.element_size())}");
        Console.WriteLine($"largest_stored={checkpoint.Keys.Max(k => checkpoint.Info(k).ByteLength)}");
        return 0;
    }

    /// <summary>What a loader without care does: the whole state dict in memory, then copied into the module.</summary>
    static void LoadNaively(torch.nn.Module module, Checkpoint checkpoint)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var all = checkpoint.Keys.ToDictionary(k => k, k => checkpoint.Read(k));
        foreach (var (name, p) in module.named_parameters()) p.copy_(all[name]);
    }

    /// <summary>A module with one F32 parameter per checkpoint tensor, allocated uninitialised.</summary>
    sealed class FlatModule : torch.nn.Module
    {
        public FlatModule(IEnumerable<(string Name, long[] Shape)> shapes) : base("flat")
        {
            foreach (var (name, shape) in shapes) register_parameter(name, new Parameter(torch.empty(shape)));
        }
    }

    static string Mb(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);
}
