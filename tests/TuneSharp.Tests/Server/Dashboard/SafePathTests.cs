using TuneSharp.Server.Dashboard;

namespace TuneSharp.Tests.Server.Dashboard;

/// <summary>Only files under the runs folder resolve: no "..", no absolute paths, no symlink leading out.</summary>
public sealed class SafePathTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-safepath-").FullName;
    readonly string outside = Directory.CreateTempSubdirectory("tunesharp-outside-").FullName;

    public SafePathTests()
    {
        Directory.CreateDirectory(Path.Combine(root, "runs", "a"));
        File.WriteAllText(Path.Combine(root, "runs", "a", "metrics.jsonl"), "{}\n");
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        File.WriteAllText(Path.Combine(root, "beside.txt"), "beside");
    }

    public void Dispose() { Directory.Delete(root, true); Directory.Delete(outside, true); }

    string Runs => Path.Combine(root, "runs");

    [Fact]
    public void A_file_inside_resolves_to_its_full_path()
    {
        Assert.Equal(Path.Combine(Runs, "a", "metrics.jsonl"), SafePath.Resolve(Runs, "a/metrics.jsonl"));
    }

    [Theory]
    [InlineData("../beside.txt")]
    [InlineData("a/../../beside.txt")]
    [InlineData("a/./metrics.jsonl")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\..\\beside.txt")]
    [InlineData("")]
    [InlineData("a/\0x")]
    public void Traversal_and_absolute_paths_are_refused(string relative)
    {
        Assert.Null(SafePath.Resolve(Runs, relative));
    }

    [Fact]
    public void A_symlink_leading_out_of_the_root_is_refused_and_one_inside_is_followed()
    {
        File.CreateSymbolicLink(Path.Combine(Runs, "a", "leak.txt"), Path.Combine(outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(Runs, "escape"), outside);
        Directory.CreateSymbolicLink(Path.Combine(Runs, "alias"), Path.Combine(Runs, "a"));

        Assert.Null(SafePath.Resolve(Runs, "a/leak.txt"));
        Assert.Null(SafePath.Resolve(Runs, "escape/secret.txt"));
        Assert.Null(SafePath.Resolve(Runs, "escape"));
        Assert.NotNull(SafePath.Resolve(Runs, "alias/metrics.jsonl"));
    }

    [Theory]
    [InlineData("run-1", true)]
    [InlineData("..", false)]
    [InlineData(".", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData(" ", false)]
    public void Run_names_are_single_plain_segments(string name, bool ok) => Assert.Equal(ok, SafePath.IsRunName(name));
}
