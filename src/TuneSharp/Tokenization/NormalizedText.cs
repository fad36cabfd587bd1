using System.Globalization;
using System.Text;

namespace TuneSharp.Tokenization;

/// <summary>
/// A piece of text on its way through normalizers and pre-tokenizers, with, for every UTF-16 unit,
/// the range of the original string it came from. Token offsets are read off these alignments, so
/// they always point into the caller's string however the text was rewritten (lowercased, byte-mapped).
/// </summary>
internal sealed class NormalizedText
{
    public string Text { get; }
    readonly int[] starts, ends;

    NormalizedText(string text, int[] starts, int[] ends)
    {
        Text = text;
        this.starts = starts;
        this.ends = ends;
    }

    /// <summary>The original text, each unit aligned to itself (a surrogate pair to both its units).</summary>
    public static NormalizedText FromOriginal(string text, int offset = 0)
    {
        var s = new int[text.Length];
        var e = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bool pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            int len = pair ? 2 : 1;
            for (int k = 0; k < len; k++) { s[i + k] = offset + i; e[i + k] = offset + i + len; }
            i += len - 1;
        }
        return new NormalizedText(text, s, e);
    }

    public int Length => Text.Length;

    /// <summary>Original start of unit <paramref name="i"/>.</summary>
    public int StartOf(int i) => starts[i];

    /// <summary>Original end of unit <paramref name="i"/>.</summary>
    public int EndOf(int i) => ends[i];

    /// <summary>The original range covered by units [start, end); an empty range sits at the original position.</summary>
    public (int Start, int End) OriginalRange(int start, int end)
    {
        if (Text.Length == 0) return (0, 0);
        if (end <= start)
        {
            int at = start < Text.Length ? starts[start] : ends[Text.Length - 1];
            return (at, at);
        }
        int lo = int.MaxValue, hi = int.MinValue;
        for (int i = start; i < end; i++) { lo = Math.Min(lo, starts[i]); hi = Math.Max(hi, ends[i]); }
        return (lo, hi);
    }

    public NormalizedText Slice(int start, int length) =>
        new(Text.Substring(start, length), starts[start..(start + length)], ends[start..(start + length)]);

    /// <summary>Rewrites each code point to a string (possibly empty) that inherits its alignment.</summary>
    public NormalizedText MapRunes(Func<Rune, string> map)
    {
        var b = new Builder(Text.Length);
        int i = 0;
        foreach (var rune in Text.EnumerateRunes())
        {
            int n = rune.Utf16SequenceLength;
            b.Append(map(rune), starts[i], ends[i + n - 1]);
            i += n;
        }
        return b.Build();
    }

    /// <summary>Rewrites each grapheme cluster as a whole (for normal forms, whose reordering and composition stay inside one).</summary>
    public NormalizedText MapTextElements(Func<string, string> map)
    {
        var b = new Builder(Text.Length);
        var e = StringInfo.GetTextElementEnumerator(Text);
        while (e.MoveNext())
        {
            int i = e.ElementIndex;
            var element = (string)e.Current;
            var (s, en) = OriginalRange(i, i + element.Length);
            b.Append(map(element), s, en);
        }
        return b.Build();
    }

    /// <summary>Puts <paramref name="prefix"/> in front, aligned to the first unit (as HF's prepend does).</summary>
    public NormalizedText Prepend(string prefix)
    {
        if (Text.Length == 0) return this;
        var b = new Builder(Text.Length + prefix.Length);
        b.Append(prefix, starts[0], ends[0]);
        for (int i = 0; i < Text.Length; i++) b.Append(Text[i], starts[i], ends[i]);
        return b.Build();
    }

    /// <summary>Accumulates text with alignments.</summary>
    internal sealed class Builder(int capacity)
    {
        readonly StringBuilder text = new(capacity);
        readonly List<int> s = new(capacity), e = new(capacity);

        public void Append(string value, int start, int end)
        {
            foreach (var c in value) Append(c, start, end);
        }

        public void Append(char c, int start, int end)
        {
            text.Append(c);
            s.Add(start);
            e.Add(end);
        }

        public NormalizedText Build() => new(text.ToString(), s.ToArray(), e.ToArray());
    }
}
