namespace TuneSharp.IO;

/// <summary>
/// What <see cref="StateDictLoader.Load"/> did.
/// </summary>
/// <param name="Loaded">Module keys filled from the checkpoint.</param>
/// <param name="Missing">Module keys the checkpoint lacks and that were left as they were: tied keys, and with
/// strict = false any other missing key.</param>
/// <param name="Unexpected">Checkpoint keys the module has no parameter or buffer for (only with strict = false).</param>
/// <param name="BytesRead">Bytes of tensor data read from the checkpoint.</param>
public sealed record LoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    long BytesRead);
