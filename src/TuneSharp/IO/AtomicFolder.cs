namespace TuneSharp.IO;

/// <summary>
/// Writes a whole folder (a checkpoint: weights, config, tokenizer) so that <c>dir</c> is either the old folder or
/// the complete new one. A POSIX rename cannot replace a non-empty folder, so the swap is two renames: old folder
/// aside, new folder in. A crash between them leaves no <c>dir</c>, but the old one intact at <c>.name.old-*</c>
/// and the new one complete at <c>.name.tmp-*</c>; the old one is deleted only after the new one is in place.
/// A process killed mid-write (kill -9) leaves its <c>.name.tmp-*</c> behind; the next write of the same folder
/// deletes such leftovers, so repeated crashes cannot fill the disk (one writer per folder is assumed).
/// </summary>
public static class AtomicFolder
{
    /// <summary>
    /// Calls <paramref name="write"/> with a fresh empty folder beside <paramref name="dir"/>, then replaces
    /// <paramref name="dir"/> with it. If <paramref name="write"/> throws, the temporary folder is deleted,
    /// <paramref name="dir"/> is untouched, and the exception propagates.
    /// </summary>
    public static void Write(string dir, Action<string> write)
    {
        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(dir));
        string parent = System.IO.Path.GetDirectoryName(full)
            ?? throw new UserError($"{dir}: cannot replace a file system root");
        string name = System.IO.Path.GetFileName(full);
        if (File.Exists(full))
            throw new UserError($"{dir}: is a file, expected a folder");
        Directory.CreateDirectory(parent);

        DeleteLeftovers(parent, $".{name}.tmp-");
        string temp = System.IO.Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        if (!Directory.Exists(full))
        {
            Directory.Move(temp, full);
            DeleteLeftovers(parent, $".{name}.old-"); // a crash between the two renames below left one
            return;
        }
        string old = System.IO.Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
        Directory.Move(full, old);
        try
        {
            Directory.Move(temp, full);
        }
        catch
        {
            Directory.Move(old, full); // put the old folder back before reporting
            TryDelete(temp);
            throw;
        }
        TryDelete(old);
    }

    /// <summary>Deletes the folders in <paramref name="parent"/> whose names start with <paramref name="prefix"/>.</summary>
    public static void DeleteLeftovers(string parent, string prefix)
    {
        foreach (var leftover in Directory.GetDirectories(parent, prefix + "*")) TryDelete(leftover);
    }

    static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { /* best effort: leftovers are hidden dot-folders */ }
        catch (UnauthorizedAccessException) { }
    }
}
