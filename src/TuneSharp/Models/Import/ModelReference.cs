namespace TuneSharp.Models.Import;

/// <summary>
/// Resolves a model reference: a folder path, or the name of a known pretrained encoder (<c>minilm</c>,
/// <c>arctic-xs</c>), which resolves to its imported folder in the per-user cache (imported on first use), the
/// way a Hugging Face model id resolves to a hub download, but offline.
/// </summary>
public static class ModelReference
{
    /// <summary><paramref name="value"/> as a folder path, resolved against <paramref name="baseDir"/>.</summary>
    public static string Resolve(string value, string baseDir)
    {
        var path = Path.GetFullPath(Path.Combine(baseDir, value));
        if (Directory.Exists(path)) return path;
        var known = PretrainedEncoders.All.FirstOrDefault(e => string.Equals(e.Name, value, StringComparison.OrdinalIgnoreCase));
        return known is null ? path : EncoderImport.Import(known);
    }
}
