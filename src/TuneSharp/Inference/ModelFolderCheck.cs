namespace TuneSharp.Inference;

/// <summary>Checks that a folder is a Hugging Face model folder before anything is loaded from it.</summary>
public static class ModelFolderCheck
{
    /// <summary>
    /// The full path of <paramref name="dir"/>; a missing folder, a LoRA adapter folder or a folder without
    /// config.json is a <see cref="UserError"/> naming it (<paramref name="hint"/> is appended to "not found").
    /// </summary>
    public static string Require(string dir, string? hint = null)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full)) throw new UserError($"{full}: model folder not found" + (hint is null ? "" : $" ({hint})"));
        if (File.Exists(Path.Combine(full, "config.json"))) return full;
        if (File.Exists(Path.Combine(full, "adapter_config.json")))
            throw new UserError($"{full}: a LoRA adapter folder (adapter_config.json); pass the run's model/ folder, which has the adapter merged in");
        throw new UserError($"{Path.Combine(full, "config.json")}: not found; not a Hugging Face model folder");
    }
}
