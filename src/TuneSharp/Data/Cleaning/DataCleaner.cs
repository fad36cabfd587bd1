using System.Diagnostics;
using System.Globalization;
using TuneSharp.Text.Unicode;
using TuneSharp.Data.Dedup;
using TuneSharp.Data.Pii;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// The cleaning pipeline over <see cref="DataRecord"/>s. Streaming: each input row is cleaned and handed to
/// keep or removed before the next is read; across rows only dedup state is kept (32-byte digests, MinHash
/// signatures and LSH buckets), never texts. Kept rows carry the cleaned fields; removed rows are passed as they
/// were read, so that the side file loses nothing. Input records are never modified.
/// </summary>
public sealed class DataCleaner
{
    readonly CleanOptions options;
    readonly PiiScrubber? scrubber;
    readonly ExactDuplicateIndex? exact;
    readonly NearDuplicateIndex? near;

    /// <summary>A cleaner with its own dedup state (one cleaner = one dedup scope).</summary>
    public DataCleaner(CleanOptions options)
    {
        options.Validate();
        this.options = options;
        if (options.ScrubPii) scrubber = new PiiScrubber(options.PiiTypes, options.PhoneRegions, options.PersonDetector);
        if (options.ExactDedup) exact = new ExactDuplicateIndex();
        if (options.NearDedup != null) near = new NearDuplicateIndex(options.NearDedup);
    }

    /// <summary>The LSH bands and rows in use (null without near-dedup).</summary>
    public LshParameters? LshParameters => near?.Parameters;

    /// <summary>Cleans a stream of rows with a fresh cleaner. See <see cref="Clean(IEnumerable{DataRecord}, Action{DataRecord}, Action{DataRecord, string})"/>.</summary>
    public static CleanReport Clean(IEnumerable<DataRecord> input, Action<DataRecord> keep, Action<DataRecord, string> removed, CleanOptions options) =>
        new DataCleaner(options).Clean(input, keep, removed);

    /// <summary>
    /// Cleans each row and calls <paramref name="keep"/> with the cleaned row, or <paramref name="removed"/> with
    /// the original row and a reason ("code" or "code: detail", see <see cref="RemovalReasons"/>).
    /// </summary>
    public CleanReport Clean(IEnumerable<DataRecord> input, Action<DataRecord> keep, Action<DataRecord, string> removed)
    {
        var clock = Stopwatch.StartNew();
        var tally = new Tally();
        foreach (var record in input)
        {
            tally.Read++;
            var (cleaned, reason) = CleanOne(record, tally);
            if (reason == null)
            {
                tally.Kept++;
                keep(cleaned);
            }
            else
            {
                tally.Count(tally.Removed, RemovalReasons.CodeOf(reason), 1);
                removed(record, reason);
            }
        }
        return new CleanReport
        {
            Read = tally.Read,
            Kept = tally.Kept,
            RemovedByReason = tally.Removed,
            CharactersChangedByStep = tally.Characters,
            RowsChangedByStep = tally.Rows,
            PiiCounts = tally.Pii,
            InputCharacters = tally.InputCharacters,
            Elapsed = clock.Elapsed,
        };
    }

    (DataRecord Cleaned, string? Reason) CleanOne(DataRecord record, Tally tally)
    {
        var fields = TextFields.Select(record.Fields, options.Fields);
        var values = TextFields.Read(record.Fields, fields);
        var changedSteps = new HashSet<string>();
        bool changed = false;
        for (int i = 0; i < values.Count; i++)
        {
            tally.InputCharacters += values[i].Length;
            var v = CleanText(values[i], tally, changedSteps);
            if (!ReferenceEquals(v, values[i]) && v != values[i]) { values[i] = v; changed = true; }
        }
        foreach (var step in changedSteps) tally.Count(tally.Rows, step, 1);
        var cleaned = changed ? record with { Fields = TextFields.Write(record.Fields, fields, values) } : record;
        var text = string.Join('\n', values);
        return (cleaned, Filter(record, text));
    }

    /// <summary>Applies the text steps to one string (also usable alone, e.g. for previews).</summary>
    public string CleanText(string text) => CleanText(text, new Tally(), []);

    string CleanText(string text, Tally tally, HashSet<string> changedSteps)
    {
        if (options.StripEmailHeaders) text = Step(CleanSteps.EmailHeaders, text, EmailHeaderStripper.Strip);
        if (options.StripHtml) text = Step(CleanSteps.Html, text, HtmlStripper.Strip);
        if (options.Normalization != UnicodeForm.None)
            text = Step(CleanSteps.Unicode, text, options.Normalization == UnicodeForm.Nfkc ? UnicodeNormalizer.ToNfkc : UnicodeNormalizer.ToNfc);
        if (options.RemoveControlCharacters) text = Step(CleanSteps.ControlCharacters, text, ControlCharacters.Remove);
        if (options.CollapseWhitespace) text = Step(CleanSteps.Whitespace, text, WhitespaceNormalizer.Collapse);
        if (scrubber != null)
        {
            text = Step(CleanSteps.Pii, text, t =>
            {
                var result = scrubber.Scrub(t);
                foreach (var f in result.Findings) tally.Count(tally.Pii, f.Type, 1);
                return result.Text;
            });
        }
        return text;

        string Step(string name, string input, Func<string, string> apply)
        {
            var output = apply(input);
            int n = CleanSteps.ChangedCharacters(input, output);
            if (n > 0)
            {
                tally.Count(tally.Characters, name, n);
                changedSteps.Add(name);
            }
            return n > 0 ? output : input;
        }
    }

    string? Filter(DataRecord record, string text)
    {
        var inv = CultureInfo.InvariantCulture;
        if (options.RemoveEmpty && string.IsNullOrWhiteSpace(text)) return RemovalReasons.Empty;
        if (options.MinChars is { } min && text.Length < min) return string.Create(inv, $"{RemovalReasons.TooShort}: {text.Length} < {min} characters");
        if (options.MaxChars is { } max && text.Length > max) return string.Create(inv, $"{RemovalReasons.TooLong}: {text.Length} > {max} characters");
        if (options.MinAlphabeticRatio is { } alpha)
        {
            double r = QualityFilter.AlphabeticRatio(text);
            if (r < alpha) return string.Create(inv, $"{RemovalReasons.LowAlphabeticRatio}: {r:F2} < {alpha}");
        }
        if (options.MaxDuplicateLineFraction != null || options.MaxTopNgramShare != null)
        {
            if (QualityFilter.WordCount(text) >= options.RepetitionMinWords)
            {
                if (options.MaxDuplicateLineFraction is { } maxDup)
                {
                    double d = QualityFilter.DuplicateLineFraction(text);
                    if (d > maxDup) return string.Create(inv, $"{RemovalReasons.RepeatedLines}: {d:F2} > {maxDup}");
                }
                if (options.MaxTopNgramShare is { } maxShare)
                {
                    double s = QualityFilter.TopNgramShare(text, options.TopNgramSize);
                    if (s > maxShare) return string.Create(inv, $"{RemovalReasons.RepeatedNgrams}: top {options.TopNgramSize}-gram covers {s:F2} > {maxShare}");
                }
            }
        }
        var source = new RowRef(record.File, record.Line);
        if (exact != null)
        {
            var (isNew, first) = exact.Add(text, source);
            if (!isNew) return $"{RemovalReasons.ExactDuplicate}: of {first}";
        }
        if (near != null && near.AddOrMatch(text, source) is { } match)
            return string.Create(inv, $"{RemovalReasons.NearDuplicate}: of {match.Tag} (jaccard {match.Jaccard:F2})");
        return null;
    }

    sealed record RowRef(string File, long Line)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}");
    }

    sealed class Tally
    {
        public long Read, Kept, InputCharacters;
        public readonly Dictionary<string, long> Removed = [];
        public readonly Dictionary<string, long> Characters = [];
        public readonly Dictionary<string, long> Rows = [];
        public readonly Dictionary<PiiType, long> Pii = [];

        public void Count<TKey>(Dictionary<TKey, long> d, TKey key, long n) where TKey : notnull =>
            d[key] = d.GetValueOrDefault(key) + n;
    }
}
