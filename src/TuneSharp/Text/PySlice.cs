namespace TuneSharp.Text;

/// <summary>Python slice arithmetic (<c>slice.indices</c>), shared by lists, tuples and strings.</summary>
internal static class PySlice
{
    /// <summary>Normalized (start, stop, step) for a sequence of <paramref name="length"/>.</summary>
    public static (int Start, int Stop, int Step) Indices(int length, long? start, long? stop, long? step)
    {
        long st = step ?? 1;
        if (st == 0) throw new ArgumentException("slice step cannot be zero", nameof(step));
        long lower = st < 0 ? -1 : 0, upper = st < 0 ? length - 1 : length;
        long Clamp(long? v, long dflt)
        {
            if (v is not long x) return dflt;
            if (x < 0) x += length;
            return Math.Clamp(x, lower, upper);
        }
        long a = Clamp(start, st < 0 ? upper : lower);
        long b = Clamp(stop, st < 0 ? lower : upper);
        return ((int)a, (int)b, (int)st);
    }

    /// <summary>The positions a slice selects, in order.</summary>
    public static IEnumerable<int> Positions(int length, long? start, long? stop, long? step)
    {
        var (a, b, st) = Indices(length, start, stop, step);
        if (st > 0)
            for (int i = a; i < b; i += st) yield return i;
        else
            for (int i = a; i > b; i += st) yield return i;
    }
}
