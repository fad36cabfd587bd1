using System.Buffers.Binary;
using System.Text;

namespace TuneSharp.Hardening;

/// <summary>
/// Seeded mutations of a file's bytes: generic ones (bit flips, truncation, deleted, duplicated or inserted chunks,
/// invalid UTF-8) and ones aimed at what loaders trust (numbers made huge or negative, deep nesting, a duplicated
/// JSON key, a safetensors header length). The same seed gives the same bytes, so every failure replays.
/// </summary>
public static class Mutator
{
    // Numbers that break length and index arithmetic when a loader believes them.
    static readonly string[] HostileNumbers =
        ["-1", "0", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "18446744073709551615",
         "1e308", "-0", "1.5", "NaN", "1099511627776", "99999999999999999999999"];

    /// <summary>One to three mutations of <paramref name="seed"/> drawn from <paramref name="rng"/>; returns what was done.</summary>
    public static (byte[] Bytes, string What) Mutate(byte[] seed, Random rng)
    {
        var bytes = seed;
        var what = new List<string>();
        int count = 1 + rng.Next(3);
        for (int i = 0; i < count; i++)
        {
            var (next, name) = Once(bytes, rng);
            bytes = next;
            what.Add(name);
        }
        return (bytes, string.Join(" + ", what));
    }

    static (byte[], string) Once(byte[] b, Random rng)
    {
        if (b.Length == 0) return (Encoding.UTF8.GetBytes("{}"), "replace-empty");
        switch (rng.Next(11))
        {
            case 0: return (BitFlips(b, rng), "bit-flips");
            case 1: return (b[..rng.Next(b.Length)], "truncate");
            case 2: return (DeleteChunk(b, rng), "delete-chunk");
            case 3: return (DuplicateChunk(b, rng), "duplicate-chunk");
            case 4: return (Insert(b, rng.Next(b.Length + 1), RandomBytes(rng, 1 + rng.Next(16))), "insert-random");
            case 5: return (Insert(b, rng.Next(b.Length + 1), [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80]), "invalid-utf8");
            case 6: return (ReplaceNumber(b, rng), "hostile-number");
            case 7: return (DeepNesting(b, rng), "deep-nesting");
            case 8: return (DuplicateKey(b, rng), "duplicate-key");
            case 9: return (HeaderLength(b, rng), "length-field");
            default: return (SwapTokens(b, rng), "swap-token");
        }
    }

    static byte[] BitFlips(byte[] b, Random rng)
    {
        var r = (byte[])b.Clone();
        int flips = 1 + rng.Next(8);
        for (int i = 0; i < flips; i++) r[rng.Next(r.Length)] ^= (byte)(1 << rng.Next(8));
        return r;
    }

    static byte[] DeleteChunk(byte[] b, Random rng)
    {
        int start = rng.Next(b.Length), length = 1 + rng.Next(Math.Min(64, b.Length - start));
        return [.. b[..start], .. b[(start + length)..]];
    }

    static byte[] DuplicateChunk(byte[] b, Random rng)
    {
        int start = rng.Next(b.Length), length = 1 + rng.Next(Math.Min(256, b.Length - start));
        return Insert(b, rng.Next(b.Length + 1), b[start..(start + length)]);
    }

    static byte[] Insert(byte[] b, int at, byte[] what) => [.. b[..at], .. what, .. b[at..]];

    static byte[] RandomBytes(Random rng, int n)
    {
        var r = new byte[n];
        rng.NextBytes(r);
        return r;
    }

    // Replaces one run of ASCII digits (a length, a dimension, an offset, a vocab id) with a hostile number.
    static byte[] ReplaceNumber(byte[] b, Random rng)
    {
        var runs = new List<(int Start, int End)>();
        for (int i = 0; i < b.Length && runs.Count < 4096;)
        {
            if (!IsDigit(b[i])) { i++; continue; }
            int s = i;
            while (i < b.Length && IsDigit(b[i])) i++;
            runs.Add((s, i));
        }
        if (runs.Count == 0) return BitFlips(b, rng);
        var (start, end) = runs[rng.Next(runs.Count)];
        var number = Encoding.ASCII.GetBytes(HostileNumbers[rng.Next(HostileNumbers.Length)]);
        return [.. b[..start], .. number, .. b[end..]];
    }

    static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    // Wraps a value (after a ':' or at the start) in thousands of brackets: recursion depth must be bounded.
    static byte[] DeepNesting(byte[] b, Random rng)
    {
        int depth = rng.Next(2) == 0 ? 100 : 100_000;
        char open = rng.Next(2) == 0 ? '[' : '{';
        var prefix = open == '[' ? new string('[', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth));
        var suffix = new string(open == '[' ? ']' : '}', depth);
        int colon = Array.IndexOf(b, (byte)':', rng.Next(b.Length));
        if (colon < 0) return [.. Encoding.ASCII.GetBytes(prefix), .. b, .. Encoding.ASCII.GetBytes(suffix)];
        return [.. b[..(colon + 1)], .. Encoding.ASCII.GetBytes(prefix + "1" + suffix + ","), .. b[(colon + 1)..]];
    }

    // Repeats a "key": prefix so that one object holds the same key twice.
    static byte[] DuplicateKey(byte[] b, Random rng)
    {
        int colon = Array.IndexOf(b, (byte)':', rng.Next(b.Length));
        if (colon < 1) return BitFlips(b, rng);
        int quoteEnd = Array.LastIndexOf(b, (byte)'"', colon);
        int quoteStart = quoteEnd > 0 ? Array.LastIndexOf(b, (byte)'"', quoteEnd - 1) : -1;
        if (quoteStart < 0) return BitFlips(b, rng);
        var pair = b[quoteStart..(colon + 1)];
        return [.. b[..quoteStart], .. pair, .. Encoding.ASCII.GetBytes("0,"), .. b[quoteStart..]];
    }

    // The first 8 bytes as a little-endian length (safetensors' header length; other formats just get garbage).
    static byte[] HeaderLength(byte[] b, Random rng)
    {
        if (b.Length < 8) return BitFlips(b, rng);
        var r = (byte[])b.Clone();
        ulong current = BinaryPrimitives.ReadUInt64LittleEndian(r);
        ulong value = rng.Next(6) switch
        {
            0 => ulong.MaxValue,
            1 => 1UL << 40,
            2 => (ulong)r.Length,
            3 => current + 1,
            4 => current - 1,
            _ => 0,
        };
        BinaryPrimitives.WriteUInt64LittleEndian(r, value);
        return r;
    }

    // Swaps tokens loaders branch on: a type name, a dtype, a boolean, a null.
    static readonly (string From, string To)[] Swaps =
    [
        ("F32", "I64"), ("F32", "F8_E4M3"), ("F32", "BOOL"), ("F16", "XYZ"), ("true", "null"), ("false", "\"x\""),
        ("\"", "'"), ("[", "{"), (",", ",,"), ("llama", "bert"), ("BPE", "Unigram"), ("csv", "json"),
    ];

    static byte[] SwapTokens(byte[] b, Random rng)
    {
        var (from, to) = Swaps[rng.Next(Swaps.Length)];
        var f = Encoding.ASCII.GetBytes(from);
        var hits = new List<int>();
        for (int i = b.AsSpan().IndexOf(f); i >= 0 && hits.Count < 1024;)
        {
            hits.Add(i);
            int next = b.AsSpan(i + 1).IndexOf(f);
            i = next < 0 ? -1 : i + 1 + next;
        }
        if (hits.Count == 0) return BitFlips(b, rng);
        int at = hits[rng.Next(hits.Count)];
        return [.. b[..at], .. Encoding.ASCII.GetBytes(to), .. b[(at + f.Length)..]];
    }
}
