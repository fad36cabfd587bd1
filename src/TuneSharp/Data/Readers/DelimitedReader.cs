using System.Text.Json.Nodes;
using CsvHelper;
using TuneSharp.Data.Validation;

namespace TuneSharp.Data.Readers;

/// <summary>Streams CSV or TSV files with a header row; every cell becomes a string field named by the header.</summary>
public static class DelimitedReader
{
    /// <summary>
    /// Reads <paramref name="path"/> lazily. <paramref name="separator"/> is ',' or '\t'. TSV is read without
    /// quoting (the IANA TSV definition has none), so quotes inside text are kept as they are. Malformed rows
    /// (stray quotes, wrong number of cells) go to <paramref name="onProblem"/> with their first line.
    /// </summary>
    public static IEnumerable<DataRecord> Read(string path, char separator, Action<DataProblem>? onProblem = null)
    {
        CsvHelper.CsvMalformedRecord? malformed = null;
        var options = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = true,
            Mode = separator == '\t' ? CsvMode.NoEscape : CsvMode.Rfc4180,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            // Recover and remember: the row is reported with its line instead of aborting the whole file.
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m => malformed ??= m,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        };
        using var csv = CsvReader.Create(new StreamReader(path, System.Text.Encoding.UTF8, true, 1 << 16), options, leaveOpen: false);
        string[]? header = null;
        while (csv.Read())
        {
            header ??= Header(path, csv.Headers, onProblem);
            long line = csv.LineNumber;
            var row = csv.Current;
            if (malformed is { } bad)
            {
                ReadProblems.Report(onProblem, new DataProblem(path, bad.LineNumber, null, ProblemCodes.InvalidCsv,
                    $"malformed row ({Describe(bad.Reason)}): {Shorten(bad.RawRecord)}"));
                malformed = null;
                continue;
            }
            if (row.FieldCount != header.Length)
            {
                ReadProblems.Report(onProblem, new DataProblem(path, line, null, ProblemCodes.InvalidCsv,
                    $"row has {row.FieldCount} cells, the header has {header.Length}"));
                continue;
            }
            var fields = new JsonObject();
            for (int i = 0; i < header.Length; i++) fields[header[i]] = row.GetString(i);
            yield return new DataRecord(path, line, fields);
        }
    }

    static string[] Header(string path, IReadOnlyList<string>? headers, Action<DataProblem>? onProblem)
    {
        var names = headers?.ToArray() ?? [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
            if (name.Length == 0 || !seen.Add(name))
                ReadProblems.Report(onProblem, new DataProblem(path, 1, name, ProblemCodes.InvalidCsv,
                    name.Length == 0 ? "empty column name in the header" : "duplicate column name in the header"));
        return names;
    }

    static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "stray quote inside an unquoted cell",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "quote never closed",
        CsvMalformedReason.LineBreakInQuotes => "line break inside quotes",
        _ => reason.ToString(),
    };

    // The row may span lines (a quoted cell); the message must stay one line.
    static string Shorten(string s)
    {
        s = s.ReplaceLineEndings("\\n");
        return s.Length <= 60 ? s : s[..60] + "...";
    }
}
