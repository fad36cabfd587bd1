namespace TuneSharp.IO;

/// <summary>
/// Refuses PyTorch pickle checkpoints by name. Unpickling runs arbitrary code, so there is no pickle reader at all;
/// the message tells the user how to convert.
/// </summary>
internal static class PickleGuard
{
    static readonly string[] pickleExtensions = [".bin", ".pt", ".pth", ".ckpt", ".pkl"];

    public static bool IsPickleName(string path) =>
        pickleExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase))
        || path.EndsWith(".bin.index.json", StringComparison.OrdinalIgnoreCase);

    public static void ThrowIfPickle(string path)
    {
        if (IsPickleName(path))
            throw new UserError(
                $"{path}: PyTorch pickle checkpoints are not supported (loading them can run arbitrary code); "
                + "convert to safetensors first, e.g. model.save_pretrained(dir, safe_serialization=True)");
    }
}
