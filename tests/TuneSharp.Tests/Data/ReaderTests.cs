using System.Text.Json.Nodes;
using Parquet.Serialization;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Validation;

namespace TuneSharp.Tests.Data;

public class ReaderTests
{
    [Fact]
    public void Jsonl_SkipsBlankLines_KeepsLineNumbers_ReportsBadLines()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.jsonl", "{\"text\":\"one\"}", "", "{not json", "[1,2]", "{\"text\":\"two\"}");
        var problems = new List<DataProblem>();
        var records = JsonlReader.Read(path, problems.Add).ToList();

        Assert.Equal([1L, 5L], records.Select(r => r.Line));
        Assert.Equal("two", records[1].Fields["text"]!.GetValue<string>());
        Assert.Collection(problems,
            p => { Assert.Equal(3, p.Line); Assert.Equal(ProblemCodes.InvalidJson, p.Code); Assert.Equal(path, p.File); },
            p => { Assert.Equal(4, p.Line); Assert.Equal(ProblemCodes.NotAnObject, p.Code); });
    }

    [Fact]
    public void Jsonl_WithoutProblemSink_ThrowsUserErrorNamingFileAndLine()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.jsonl", "{\"text\":\"one\"}", "{oops");
        var e = Assert.Throws<UserError>(() => DataSources.Open(path).ToList());
        Assert.StartsWith(path + ":2:", e.Message);
    }

    [Fact]
    public void Csv_HeaderBecomesFields_MultiLineRecordsKeepFirstLine()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.csv", "review,stars", "great,5", "\"multi", "line, with comma\",3", "last,1");
        var records = DataSources.Open(path).ToList();

        Assert.Equal([2L, 3L, 5L], records.Select(r => r.Line));
        Assert.Equal("multi\nline, with comma", records[1].Fields["review"]!.GetValue<string>());
        Assert.Equal("3", records[1].Fields["stars"]!.GetValue<string>());
    }

    [Fact]
    public void Csv_MalformedRowsAreReportedWithTheirLine()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.csv", "text,label", "ok,pos", "too,many,cells", "bad \"quote,neg", "fine,neg");
        var problems = new List<DataProblem>();
        var records = DataSources.Open(path, onProblem: problems.Add).ToList();

        Assert.Equal([2L, 5L], records.Select(r => r.Line));
        Assert.Equal([3L, 4L], problems.Select(p => p.Line));
        Assert.All(problems, p => Assert.Equal(ProblemCodes.InvalidCsv, p.Code));
        Assert.Contains("3 cells", problems[0].Message);
    }

    [Fact]
    public void Tsv_KeepsQuotesLiterally()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.tsv", "text\tlabel", "He said \"hi\"\tpos");
        var record = Assert.Single(DataSources.Open(path));
        Assert.Equal("He said \"hi\"", record.Fields["text"]!.GetValue<string>());
        Assert.Equal(2, record.Line);
    }

    public sealed class ParquetRow
    {
        public string? text { get; set; }
        public int label { get; set; }
        public List<string>? tokens { get; set; }
    }

    [Fact]
    public async Task Parquet_StreamsRowGroups_RowNumberIsTheLine()
    {
        using var dir = new TempDir();
        var path = System.IO.Path.Combine(dir.Path, "a.parquet");
        var rows = Enumerable.Range(0, 5).Select(i => new ParquetRow { text = $"t{i}", label = i % 2, tokens = ["a", $"b{i}"] }).ToList();
        using (var fs = File.Create(path))
            await ParquetSerializer.SerializeAsync(rows, fs, new Parquet.ParquetOptions { RowGroupSize = 2 });

        var records = DataSources.Open(path).ToList();

        Assert.Equal([1L, 2L, 3L, 4L, 5L], records.Select(r => r.Line));
        Assert.Equal("t3", records[3].Fields["text"]!.GetValue<string>());
        Assert.Equal(1, records[3].Fields["label"]!.GetValue<int>());
        Assert.Equal(["a", "b4"], records[4].Fields["tokens"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Conll_SentencesSplitOnBlankLines_ColumnsConfigurable()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.conll",
            "-DOCSTART- -X- O O", "",
            "EU NNP B-ORG", "rejects VBZ O", "",
            "Peter NNP B-PER", "Blackburn NNP I-PER");
        var records = DataSources.Open(path).ToList();

        Assert.Equal([3L, 6L], records.Select(r => r.Line));
        Assert.Equal(["EU", "rejects"], records[0].Fields["tokens"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["B-PER", "I-PER"], records[1].Fields["tags"]!.AsArray().Select(n => n!.GetValue<string>()));

        var pos = DataSources.Open(path, options: ReadOptions.Default with { ConllTagColumn = 1 }).ToList();
        Assert.Equal(["NNP", "VBZ"], pos[0].Fields["tags"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Conll_LineWithoutTagColumn_IsReported()
    {
        using var dir = new TempDir();
        var path = dir.Lines("a.conll", "EU B-ORG", "lonely", "rejects O");
        var problems = new List<DataProblem>();
        var record = Assert.Single(DataSources.Open(path, onProblem: problems.Add));
        Assert.Equal(2, record.Fields["tokens"]!.AsArray().Count);
        var p = Assert.Single(problems);
        Assert.Equal((2L, ProblemCodes.InvalidConll), (p.Line, p.Code));
    }

    [Fact]
    public void Text_DocumentParagraphAndLineUnits_FolderInPathOrder()
    {
        using var dir = new TempDir();
        dir.File("corpus/b.txt", "Second doc.");
        var a = dir.File("corpus/a.txt", "Para one\ncontinues.\n\nPara two.\n");
        var folder = System.IO.Path.Combine(dir.Path, "corpus");

        var docs = DataSources.Open(folder).ToList();
        Assert.Equal(2, docs.Count);
        Assert.Equal(a, docs[0].File);
        Assert.Equal("Para one\ncontinues.\n\nPara two.", docs[0].Fields["text"]!.GetValue<string>());

        var paragraphs = DataSources.Open(a, options: ReadOptions.Default with { TextUnit = TextUnit.Paragraph }).ToList();
        Assert.Equal([(1L, "Para one\ncontinues."), (4L, "Para two.")], paragraphs.Select(r => (r.Line, r.Fields["text"]!.GetValue<string>())));

        var lines = DataSources.Open(a, options: ReadOptions.Default with { TextUnit = TextUnit.Line }).ToList();
        Assert.Equal([1L, 2L, 4L], lines.Select(r => r.Line));
    }

    [Fact]
    public void Detect_ByExtensionThenContent()
    {
        using var dir = new TempDir();
        Assert.Equal(DataFormat.Jsonl, DataSources.Detect(dir.File("a.ndjson", "{}")));
        Assert.Equal(DataFormat.Csv, DataSources.Detect(dir.File("a.csv", "a,b")));
        Assert.Equal(DataFormat.Tsv, DataSources.Detect(dir.File("a.tsv", "a\tb")));
        Assert.Equal(DataFormat.Conll, DataSources.Detect(dir.File("a.conll", "a O")));
        Assert.Equal(DataFormat.Text, DataSources.Detect(dir.Path));
        Assert.Equal(DataFormat.Jsonl, DataSources.Detect(dir.File("data.out", "  {\"a\":1}")));
        Assert.Equal(DataFormat.Parquet, DataSources.Detect(dir.File("blob", "PAR1....")));
        var e = Assert.Throws<UserError>(() => DataSources.Detect(dir.File("mystery", "hello")));
        Assert.Contains("--format", e.Message);
    }

    [Fact]
    public void Open_MissingPath_IsAUserError()
    {
        var e = Assert.Throws<UserError>(() => DataSources.Open("/nonexistent/x.jsonl"));
        Assert.Contains("/nonexistent/x.jsonl", e.Message);
    }
}
