using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>Ragged int rows → padded (B, T) int64 tensors.</summary>
internal static class Rows
{
    /// <summary>Right-pads every row with <paramref name="pad"/> to the longest row: (B, T) int64 on <paramref name="device"/>.</summary>
    public static Tensor Pad(IReadOnlyList<int[]> rows, long pad, Device device, int? length = null)
    {
        int T = length ?? (rows.Count == 0 ? 0 : rows.Max(r => r.Length));
        var flat = new long[rows.Count * T];
        Array.Fill(flat, pad);
        for (int b = 0; b < rows.Count; b++)
            for (int t = 0; t < rows[b].Length; t++) flat[b * T + t] = rows[b][t];
        return tensor(flat, [rows.Count, T], dtype: ScalarType.Int64, device: device);
    }

    /// <summary>1 for the first Length positions of each row, 0 after: (B, T) int64.</summary>
    public static Tensor Mask(IReadOnlyList<int[]> rows, Device device, int? length = null) =>
        Pad(rows.Select(r => Enumerable.Repeat(1, r.Length).ToArray()).ToList(), 0, device, length);
}
