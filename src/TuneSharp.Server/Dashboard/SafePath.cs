namespace TuneSharp.Server.Dashboard;

/// <summary>
/// Resolves a relative path from a request under a root folder, refusing anything that could leave it: absolute
/// paths, <c>..</c> segments, and symbolic links (in any segment) whose target lies outside the root.
/// </summary>
public static class SafePath
{
    /// <summary>The full path of <paramref name="relative"/> under <paramref name="root"/>, or null when it would escape.</summary>
    public static string? Resolve(string root, string relative)
    {
        if (string.IsNullOrWhiteSpace(relative) || relative.Contains('\0') || relative.Contains('\\')) return null;
        if (Path.IsPathRooted(relative)) return null;
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || segments.Any(s => s is "." or "..")) return null;
        var rootFull = Canonical(root);
        var current = rootFull;
        foreach (var segment in segments)
        {
            current = Path.Combine(current, segment);
            // A link anywhere along the way is followed to its final target, which must stay inside the root.
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !Inside(rootFull, Path.GetFullPath(target.FullName))) return null;
            }
        }
        var full = Path.GetFullPath(current);
        return Inside(rootFull, full) ? full : null;
    }

    /// <summary>A run folder's name: one plain segment, no separators, no dots-only names.</summary>
    public static bool IsRunName(string name) =>
        !string.IsNullOrWhiteSpace(name) && name is not "." and not ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;

    static string Canonical(string root)
    {
        var full = Path.GetFullPath(root);
        var info = new DirectoryInfo(full);
        return info.LinkTarget is not null && info.ResolveLinkTarget(true) is { } t ? Path.GetFullPath(t.FullName) : full;
    }

    static bool Inside(string root, string path) =>
        path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
