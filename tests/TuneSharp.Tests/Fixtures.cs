namespace TuneSharp.Tests;

/// <summary>
/// Locates the shared Hugging Face fixtures: <c>../shared/fixtures</c> relative to the repo root
/// (override with TUNESHARP_FIXTURES). Tests never skip when they are absent: they fail loudly.
/// </summary>
public static class Fixtures
{
    static readonly Lazy<string> root = new(FindRoot);

    /// <summary>The repository root (the folder holding TuneSharp.slnx).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The fixtures folder, e.g. /work/shared/fixtures.</summary>
    public static string Root => root.Value;

    /// <summary>A folder of hf-tiny, e.g. HfTiny("tiny-llama").</summary>
    public static string HfTiny(string name) => Path.Combine(Root, "hf-tiny", name);

    /// <summary>The chat-templates fixture folder.</summary>
    public static string ChatTemplates => Path.Combine(Root, "chat-templates");

    static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "TuneSharp.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("TuneSharp.slnx not found above " + AppContext.BaseDirectory);
    }

    static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("TUNESHARP_FIXTURES");
        var path = !string.IsNullOrEmpty(env) ? env : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures"));
        if (!Directory.Exists(Path.Combine(path, "hf-tiny")))
            throw new InvalidOperationException(
                $"Test fixtures not found at {path}. Tests need ../shared/fixtures beside the repo (or TUNESHARP_FIXTURES).");
        return path;
    }
}
