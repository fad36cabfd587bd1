using TuneSharp.Cli.Commands;
using TuneSharp.Runtime;
using TuneSharp.Tests.Cli;

namespace TuneSharp.Tests.Runtime;

public class DoctorTests
{
    [Fact]
    public void Doctor_reports_versions_threads_cuda_and_libstdcxx_fix()
    {
        var r = CliHarness.Run(DoctorCommand.Create(), "doctor");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("libtorch        2.10", r.Stdout);
        Assert.Matches(@"threads\s+\d+", r.Stdout);
        Assert.Contains("CUDA", r.Stdout);
        // On this Debian 12 machine the fix must be in effect; on newer systems it is not needed.
        Assert.Matches(@"libstdc\+\+ fix\s+(in effect|not needed)", r.Stdout);
    }

    [Fact]
    public void Device_cpu_and_auto_resolve_and_bad_names_are_user_errors()
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, DeviceSelection.Resolve("cpu").type);
        Assert.NotNull(DeviceSelection.Resolve("auto"));
        var e = Assert.Throws<UserError>(() => DeviceSelection.Resolve("tpu"));
        Assert.Contains("--device tpu", e.Message);
        if (!TorchSharp.torch.cuda.is_available())
            Assert.Throws<UserError>(() => DeviceSelection.Resolve("cuda"));
    }
}
