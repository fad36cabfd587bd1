using TuneSharp.Data.Dedup;
using TuneSharp.Data.Pii;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// What <see cref="DataCleaner"/> does. Every step is off by default, so options select steps: an options
/// value with only <see cref="ScrubPii"/> set changes PII and nothing else, and keeps every row.
/// <see cref="Recommended"/> is a sensible preset for fine-tuning data.
/// Text steps run in this order on each selected string: email headers, HTML, Unicode normalization, control
/// characters, whitespace, PII. Row filters then run on the cleaned text: empty, length, quality, exact
/// duplicates, near-duplicates.
/// </summary>
public sealed record CleanOptions
{
    /// <summary>
    /// The fields to clean (a name selects every string under that key, e.g. "messages" covers each message's
    /// content). Null: the shape's text fields when the row has a known shape (text; prompt/completion;
    /// instruction/input/output; messages; question/answer...), otherwise every string field.
    /// </summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>Unicode normalization form applied to text.</summary>
    public UnicodeForm Normalization { get; init; } = UnicodeForm.None;

    /// <summary>Remove control and invisible format characters (tab and newline are kept; CR LF becomes LF).</summary>
    public bool RemoveControlCharacters { get; init; }

    /// <summary>Collapse runs of spaces inside lines and blank lines, keeping indentation.</summary>
    public bool CollapseWhitespace { get; init; }

    /// <summary>Strip HTML tags, drop script/style contents, decode entities.</summary>
    public bool StripHtml { get; init; }

    /// <summary>Strip the RFC 822 header block at the top of raw emails.</summary>
    public bool StripEmailHeaders { get; init; }

    /// <summary>Replace PII with typed placeholders such as [EMAIL].</summary>
    public bool ScrubPii { get; init; }

    /// <summary>The PII types to scrub (null: all; PERSON only with <see cref="PersonDetector"/>).</summary>
    public IReadOnlyCollection<PiiType>? PiiTypes { get; init; }

    /// <summary>The regions national phone numbers (without a country code) are read in (null: US).</summary>
    public IReadOnlyList<string>? PhoneRegions { get; init; }

    /// <summary>Finds person names for scrubbing (a model's PER entities; null: names are not scrubbed).</summary>
    public IPiiDetector? PersonDetector { get; init; }

    /// <summary>Remove rows whose selected text is empty after cleaning.</summary>
    public bool RemoveEmpty { get; init; }

    /// <summary>Remove rows with fewer characters (selected fields joined by newlines).</summary>
    public int? MinChars { get; init; }

    /// <summary>Remove rows with more characters.</summary>
    public int? MaxChars { get; init; }

    /// <summary>Remove rows whose letters / non-whitespace characters is below this (e.g. 0.6).</summary>
    public double? MinAlphabeticRatio { get; init; }

    /// <summary>Remove rows where more than this fraction of non-empty lines repeat an earlier line (e.g. 0.3).</summary>
    public double? MaxDuplicateLineFraction { get; init; }

    /// <summary>Remove rows where the most frequent word n-gram covers more than this share of characters (e.g. 0.2).</summary>
    public double? MaxTopNgramShare { get; init; }

    /// <summary>The n of <see cref="MaxTopNgramShare"/> (2 as in Gopher).</summary>
    public int TopNgramSize { get; init; } = 2;

    /// <summary>
    /// Repetition filters only judge rows with at least this many words: in a short text one repeated
    /// phrase is a large share by construction, which says nothing about quality.
    /// </summary>
    public int RepetitionMinWords { get; init; } = 20;

    /// <summary>Remove rows whose normalized text (casefold, whitespace, NFKC; SHA-256) was seen before.</summary>
    public bool ExactDedup { get; init; }

    /// <summary>Near-duplicate removal with MinHash + LSH (null: off).</summary>
    public NearDuplicateOptions? NearDedup { get; init; }

    /// <summary>
    /// A preset for fine-tuning data: NFC, control characters, whitespace, drop empty rows, exact dedup and
    /// near-dedup at Jaccard 0.8. No HTML/email stripping and no PII scrubbing (they change content: opt in).
    /// </summary>
    public static CleanOptions Recommended { get; } = new()
    {
        Normalization = UnicodeForm.Nfc,
        RemoveControlCharacters = true,
        CollapseWhitespace = true,
        RemoveEmpty = true,
        ExactDedup = true,
        NearDedup = new NearDuplicateOptions(),
    };

    /// <summary>Checks ranges; throws <see cref="UserError"/> naming the option.</summary>
    public void Validate()
    {
        if (MinChars < 0) throw new UserError($"clean: min-chars must be >= 0 (got {MinChars})");
        if (MaxChars < 1) throw new UserError($"clean: max-chars must be >= 1 (got {MaxChars})");
        if (MinChars > MaxChars) throw new UserError($"clean: min-chars ({MinChars}) is above max-chars ({MaxChars})");
        CheckFraction(MinAlphabeticRatio, "min-alpha-ratio");
        CheckFraction(MaxDuplicateLineFraction, "max-dup-line-fraction");
        CheckFraction(MaxTopNgramShare, "max-top-ngram-share");
        if (TopNgramSize < 1) throw new UserError($"clean: top-ngram-size must be >= 1 (got {TopNgramSize})");
        NearDedup?.Validate();
    }

    static void CheckFraction(double? value, string name)
    {
        if (value is { } v && (double.IsNaN(v) || v < 0 || v > 1))
            throw new UserError($"clean: {name} must be between 0 and 1 (got {v})");
    }
}
