using TuneSharp.Runtime;

namespace TuneSharp.Tests.Runtime;

/// <summary>The ELF code the build task patches with is the code doctor reads with: a weakened copy reads back weak.</summary>
public class ElfVersionNeedsTests
{
    const string Version = "GLIBCXX_3.4.32";

    /// <summary>TorchSharp's library as shipped (the NuGet cache copy, never patched), or null when absent.</summary>
    static string? Shipped()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dir = Path.Combine(root, "torchsharp");
        if (!Directory.Exists(dir)) return null;
        return Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories)
            .FirstOrDefault(p => p.Contains("linux-x64", StringComparison.Ordinal));
    }

    [Fact]
    public void Mark_weak_then_read_back_weak()
    {
        var lib = Shipped();
        if (lib is null || ElfVersionNeeds.IsWeak(lib, Version) is not false) return; // no strict requirement to test on
        var bytes = File.ReadAllBytes(lib);
        Assert.True(ElfVersionNeeds.MarkWeak(bytes, Version));
        Assert.False(ElfVersionNeeds.MarkWeak(bytes, Version)); // already weak
        var dir = Directory.CreateTempSubdirectory("elf-").FullName;
        try
        {
            var copy = Path.Combine(dir, "libLibTorchSharp.so");
            File.WriteAllBytes(copy, bytes);
            Assert.True(ElfVersionNeeds.IsWeak(copy, Version));
            Assert.Null(ElfVersionNeeds.IsWeak(copy, "GLIBCXX_0.0"));
        }
        finally { Directory.Delete(dir, recursive: true); }
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(new byte[64], Version));
    }
}
