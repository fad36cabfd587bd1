using System.Text.Json.Nodes;
using TuneSharp.Data.Validation;

namespace TuneSharp.Data.Readers;

/// <summary>
/// Streams CoNLL-style column files: one token per line, columns separated by tabs or spaces, sentences
/// separated by blank lines. Each sentence becomes <c>{tokens, tags}</c> located at its first line.
/// <c>-DOCSTART-</c> lines and <c>#</c> comment lines are skipped.
/// </summary>
public static class ConllReader
{
    static readonly char[] Separators = [' ', '\t'];

    /// <summary>Reads <paramref name="path"/> lazily with the token and tag columns of <paramref name="options"/>.</summary>
    public static IEnumerable<DataRecord> Read(string path, ReadOptions? options = null, Action<DataProblem>? onProblem = null)
    {
        options ??= ReadOptions.Default;
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, true, 1 << 16);
        var tokens = new JsonArray();
        var tags = new JsonArray();
        long start = 0, line = 0;
        string? text;
        while ((text = reader.ReadLine()) != null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                if (tokens.Count > 0) yield return Sentence(path, start, ref tokens, ref tags);
                continue;
            }
            if (text.StartsWith("-DOCSTART-", StringComparison.Ordinal) || text.StartsWith('#')) continue;
            var columns = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            int tokenCol = Resolve(options.ConllTokenColumn, columns.Length);
            int tagCol = Resolve(options.ConllTagColumn, columns.Length);
            if (tokenCol < 0 || tokenCol >= columns.Length || tagCol < 0 || tagCol >= columns.Length || columns.Length < 2)
            {
                ReadProblems.Report(onProblem, new DataProblem(path, line, null, ProblemCodes.InvalidConll,
                    $"line has {columns.Length} column(s); token column {options.ConllTokenColumn} and tag column {options.ConllTagColumn} are needed"));
                continue;
            }
            if (tokens.Count == 0) start = line;
            tokens.Add(columns[tokenCol]);
            tags.Add(columns[tagCol]);
        }
        if (tokens.Count > 0) yield return Sentence(path, start, ref tokens, ref tags);
    }

    static int Resolve(int column, int count) => column < 0 ? count + column : column;

    static DataRecord Sentence(string path, long start, ref JsonArray tokens, ref JsonArray tags)
    {
        var record = new DataRecord(path, start, new JsonObject { ["tokens"] = tokens, ["tags"] = tags });
        tokens = new JsonArray();
        tags = new JsonArray();
        return record;
    }
}
