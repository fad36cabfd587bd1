using System.Globalization;

namespace TuneSharp.Bench;

/// <summary>Reads <c>--name value</c> options of the reliability harnesses.</summary>
internal static class Options
{
    public static string? String(string[] args, string name, string? fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static int Int(string[] args, string name, int fallback) =>
        String(args, name, null) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The repository root: the nearest folder above the working directory that holds TuneSharp.slnx.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TuneSharp.slnx"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository (TuneSharp.slnx not found above the working directory)");
    }
}
