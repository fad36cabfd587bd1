using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace TuneSharp.Tests.Reporting;

/// <summary>Synthetic run logs and PNG checks shared by the reporting tests.</summary>
static class ReportingFiles
{
    /// <summary>A fresh empty folder under the system temp folder.</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tunesharp-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// metrics.jsonl of a 60-step run: noisy decaying training loss, a warmup-then-linear learning rate,
    /// one skipped step, and a validation pass every 20 steps with <paramref name="withMetrics"/> deciding
    /// whether accuracy and macro_f1 are logged beside the loss.
    /// </summary>
    public static string MetricsJsonl(bool withMetrics = true)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var random = new Random(7);
        for (int step = 1; step <= 60; step++)
        {
            double epoch = step / 30.0;
            if (step == 33)
            {
                sb.Append(inv, $"{{\"split\":\"train\",\"step\":{step},\"event\":\"non_finite_skipped\",\"loss\":null,\"grad_norm\":null,\"skipped_steps\":1}}\n");
                continue;
            }
            double loss = 2.5 * Math.Exp(-step / 25.0) + 0.3 + 0.15 * (random.NextDouble() - 0.5);
            double lr = step <= 6 ? 5e-5 * step / 6 : 5e-5 * (60 - step) / 54.0;
            sb.Append(inv, $"{{\"split\":\"train\",\"step\":{step},\"epoch\":{epoch:0.####},\"loss\":{loss:R},\"lr\":{lr:R},\"grad_norm\":1.5,\"tokens\":{step * 512},\"tokens_per_s\":1234.5}}\n");
            if (step % 20 == 0)
            {
                double vloss = 2.4 * Math.Exp(-step / 30.0) + 0.4;
                string extra = withMetrics ? string.Create(inv, $",\"accuracy\":{0.5 + step / 150.0:R},\"macro_f1\":{0.4 + step / 140.0:R}") : "";
                sb.Append(inv, $"{{\"split\":\"validation\",\"step\":{step},\"epoch\":{epoch:0.####},\"loss\":{vloss:R}{extra}}}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="text"/> to a new metrics.jsonl in a new folder and returns its path.</summary>
    public static string WriteMetrics(string text)
    {
        var path = Path.Combine(TempDir(), "metrics.jsonl");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Checks the PNG signature and the IHDR chunk, and returns the image size it declares.</summary>
    public static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path}: too short for a PNG");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>Decodes a PNG and counts its distinct pixel colours (a blank or one-colour image has 1 or 2).</summary>
    public static int DistinctColours(string path)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        return bitmap.Pixels.Select(c => (uint)c).Distinct().Count();
    }
}
