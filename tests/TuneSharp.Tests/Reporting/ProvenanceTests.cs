using TuneSharp.Reporting;

namespace TuneSharp.Tests.Reporting;

public class ProvenanceTests
{
    [Fact]
    public void Capture_reads_versions_and_machine()
    {
        var p = Provenance.Capture("cpu");

        Assert.StartsWith("0.107.", p.TorchSharpVersion, StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+", p.LibTorchVersion);
        Assert.False(string.IsNullOrWhiteSpace(p.TuneSharpVersion));
        Assert.False(string.IsNullOrWhiteSpace(p.OperatingSystem));
        Assert.Equal(Environment.ProcessorCount, p.Cores);
        Assert.Equal("cpu", p.Device);
        Assert.InRange(p.Date, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
