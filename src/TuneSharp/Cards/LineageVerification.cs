namespace TuneSharp.Cards;

/// <summary>One recorded input or output and how it compares with what is on disk now.</summary>
/// <param name="What">"model", "base model", or "data (train)" etc.</param>
/// <param name="Path">Where it was recorded (the model: where it is now).</param>
/// <param name="Status">"ok", "changed" or "missing".</param>
/// <param name="Recorded">SHA-256 in lineage.json.</param>
/// <param name="Now">SHA-256 on disk now; null when missing.</param>
public sealed record VerificationItem(string What, string Path, string Status, string Recorded, string? Now);

/// <summary>
/// <c>tunesharp card verify</c>: recomputes every digest lineage.json recorded (the model folder itself, the base
/// model folder, each data file) and says which still match, which changed and which are gone.
/// </summary>
public static class LineageVerification
{
    public static IReadOnlyList<VerificationItem> Verify(string modelDir)
    {
        var (baseModel, model, data) = LineageFile.ReadDigests(modelDir);
        var items = new List<VerificationItem>
        {
            // The model is checked where it is now: a copied folder still verifies.
            Folder("model", modelDir, model.Sha256),
            Folder("base model", baseModel.Path, baseModel.Sha256),
        };
        foreach (var d in data)
        {
            string what = $"data ({d.Split})";
            items.Add(File.Exists(d.Path)
                ? Compare(what, d.Path, d.Sha256, FileHashes.File(d.Path))
                : new VerificationItem(what, d.Path, "missing", d.Sha256, null));
        }
        return items;
    }

    static VerificationItem Folder(string what, string path, string recorded) => Directory.Exists(path)
        ? Compare(what, path, recorded, FileHashes.Folder(path).Sha256)
        : new VerificationItem(what, path, "missing", recorded, null);

    static VerificationItem Compare(string what, string path, string recorded, string now) =>
        new(what, path, recorded == now ? "ok" : "changed", recorded, now);
}
