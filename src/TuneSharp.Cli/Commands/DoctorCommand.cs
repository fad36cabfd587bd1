using System.CommandLine;
using TuneSharp.Runtime;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp doctor</c>: versions, threads, CUDA and the libstdc++ fix.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Show the TorchSharp/libtorch versions, threads, CUDA and the libstdc++ fix");
        command.SetAction(parse =>
        {
            var r = RuntimeEnvironment.Inspect();
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"TorchSharp      {r.TorchSharpVersion}");
            o.WriteLine($"libtorch        {r.LibTorchVersion}");
            o.WriteLine($"threads         {r.Threads}");
            o.WriteLine($"CUDA            {(r.CudaAvailable ? $"available, {r.CudaDeviceCount} device(s)" : "not available")}");
            o.WriteLine($"GPU             {r.GpuName ?? "none"}");
            o.WriteLine($"libstdc++ fix   {r.LibStdCxxStatus}");
            return 0;
        });
        return command;
    }
}
