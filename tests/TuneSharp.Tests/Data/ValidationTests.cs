using TuneSharp.Data;
using TuneSharp.Data.Shapes;
using TuneSharp.Data.Validation;

namespace TuneSharp.Tests.Data;

public class ValidationTests
{
    static ValidationReport Validate(string path, ValidationOptions? options = null) =>
        DataValidator.Validate([path], options ?? new ValidationOptions());

    static DataProblem Only(ValidationReport report, string code) =>
        Assert.Single(report.Problems, p => p.Code == code);

    static void AssertAt(DataProblem p, string file, long line, string? field)
    {
        Assert.Equal(file, p.File);
        Assert.Equal(line, p.Line);
        Assert.Equal(field, p.Field);
    }

    [Fact]
    public void CleanClassificationFile_IsValid_WithSummary()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl",
            """{"text":"good film","label":"pos"}""",
            """{"text":"bad film indeed","label":"neg"}""",
            """{"text":"fine","label":"pos"}""");
        var r = Validate(f, new ValidationOptions { Labels = ["neg", "pos"] });

        Assert.True(r.IsValid);
        Assert.Empty(r.Problems);
        Assert.Equal(RecordShape.Classification, r.Files[0].Shape);
        Assert.Equal(2, r.LabelDistribution["pos"]);
        Assert.Equal(1, r.LabelDistribution["neg"]);
        Assert.Equal(6, r.Lengths.TrainingTokens);
        Assert.Equal(3, r.Lengths.Buckets[0]);
    }

    [Fact]
    public void InvalidJson_IsReportedWithLine_AndOtherLinesStillChecked()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"ok","label":"a"}""", """{"text": "broken" """, """{"text":"","label":"a"}""");
        var r = Validate(f);
        AssertAt(Only(r, ProblemCodes.InvalidJson), f, 2, null);
        AssertAt(Only(r, ProblemCodes.EmptyField), f, 3, "text");
        Assert.False(r.IsValid);
    }

    [Fact]
    public void MissingField_AndWrongType()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"ok","label":"a"}""", """{"text":"no label here","lable":"a"}""", """{"text":42,"label":"a"}""");
        var r = Validate(f, new ValidationOptions { Task = TaskSpec.Parse("classification") });
        AssertAt(Only(r, ProblemCodes.MissingField), f, 2, "label");
        var wrong = Only(r, ProblemCodes.WrongType);
        AssertAt(wrong, f, 3, "text");
        Assert.Contains("a number", wrong.Message);
    }

    [Fact]
    public void Labels_OutsideTheSet_ByNameIndexAndInMultiLabelLists()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl",
            """{"text":"a","label":"pos"}""",
            """{"text":"b","label":"meh"}""",
            """{"text":"c","label":7}""",
            """{"text":"d","label":["pos","sarcastic"]}""",
            """{"text":"e","label":1}""",
            """{"text":"f","label":true}""");
        var r = Validate(f, new ValidationOptions { Labels = ["neg", "pos"] });
        var unknown = r.Problems.Where(p => p.Code == ProblemCodes.UnknownLabel).ToList();
        Assert.Equal(3, unknown.Count);
        AssertAt(unknown[0], f, 2, "label");
        AssertAt(unknown[1], f, 3, "label");
        AssertAt(unknown[2], f, 4, "label[1]");
        AssertAt(Only(r, ProblemCodes.WrongType), f, 6, "label");
        Assert.Equal(2, r.LabelDistribution["pos"]); // "pos" and index 1
    }

    [Fact]
    public void Chat_UnknownRole_NoAssistant_EmptyContent()
    {
        using var dir = new TempDir();
        var f = dir.Lines("chat.jsonl",
            """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}""",
            """{"messages":[{"role":"user","content":"Hi"},{"role":"bot","content":"Hello"}]}""",
            """{"messages":[{"role":"user","content":"Hi"}]}""",
            """{"messages":[{"role":"user","content":""},{"role":"assistant","content":"?"}]}""",
            """{"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]},{"role":"assistant","tool_calls":[{"id":"1"}]},{"role":"tool","content":"42"},{"role":"assistant","content":"It is 42"}]}""");
        var r = Validate(f);
        AssertAt(Only(r, ProblemCodes.UnknownRole), f, 2, "messages[1].role");
        AssertAt(Only(r, ProblemCodes.NoAssistantTurn), f, 3, "messages");
        AssertAt(Only(r, ProblemCodes.EmptyField), f, 4, "messages[0].content");
        Assert.Equal(3, r.ErrorCount);
        Assert.Equal(2, r.Files[0].Valid);
    }

    [Fact]
    public void Tagging_LengthMismatch_AndInvalidBio()
    {
        using var dir = new TempDir();
        var f = dir.Lines("ner.jsonl",
            """{"tokens":["Peter","Blackburn","left"],"tags":["B-PER","I-PER","O"]}""",
            """{"tokens":["EU","rejects"],"tags":["B-ORG"]}""",
            """{"tokens":["in","Paris"],"tags":["O","I-LOC"]}""",
            """{"tokens":["New","York"],"tags":["B-LOC","I-ORG"]}""",
            """{"tokens":["Bob","x"],"tags":["E-PER","O"]}""");
        var r = Validate(f, new ValidationOptions { Task = TaskSpec.Parse("ner") });
        AssertAt(Only(r, ProblemCodes.LengthMismatch), f, 2, "tags");
        var bio = r.Problems.Where(p => p.Code == ProblemCodes.InvalidBio).ToList();
        Assert.Equal(3, bio.Count);
        AssertAt(bio[0], f, 3, "tags[1]");
        AssertAt(bio[1], f, 4, "tags[1]");
        Assert.Contains("follows an entity of type LOC", bio[1].Message);
        AssertAt(bio[2], f, 5, "tags[0]");
        Assert.Equal(1, r.LabelDistribution["PER"]);
    }

    [Fact]
    public void Tagging_PosTagsAreNotBioChecked()
    {
        using var dir = new TempDir();
        var f = dir.Lines("pos.jsonl", """{"tokens":["The","dog"],"tags":["at","nn"]}""");
        Assert.True(Validate(f).IsValid);
        Assert.True(Validate(f, new ValidationOptions { Task = TaskSpec.Parse("pos") }).IsValid);
        Assert.False(Validate(f, new ValidationOptions { Task = TaskSpec.Parse("ner") }).IsValid);
    }

    [Fact]
    public void PromptCompletion_AndInstruction_RequiredFields()
    {
        using var dir = new TempDir();
        var p = dir.Lines("p.jsonl", """{"prompt":"cat","completion":"K AE1 T"}""", """{"prompt":"dog","completion":""}""");
        AssertAt(Only(Validate(p), ProblemCodes.EmptyField), p, 2, "completion");

        var a = dir.Lines("a.jsonl",
            """{"instruction":"Add","input":"1+1","output":"2"}""",
            """{"instruction":"Say hi","input":"","output":"hi"}""",
            """{"instruction":"Say hi","input":3,"output":"hi"}""",
            """{"instruction":"Say hi","output":null}""");
        var r = Validate(a);
        AssertAt(Only(r, ProblemCodes.WrongType), a, 3, "input");
        AssertAt(Only(r, ProblemCodes.MissingField), a, 4, "output");
    }

    [Fact]
    public void MaxLength_PolicyDecidesSeverityAndTrainingTokens()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"one two three four five six"}""", """{"text":"short one"}""");

        var error = Validate(f, new ValidationOptions { MaxLength = 4 });
        var p = Only(error, ProblemCodes.TooLong);
        AssertAt(p, f, 1, "(example)");
        Assert.Equal(ProblemSeverity.Error, p.Severity);
        Assert.Contains("truncation policy: error", p.Message);

        var truncate = Validate(f, new ValidationOptions { MaxLength = 4, Truncation = TruncationPolicy.Truncate });
        Assert.True(truncate.IsValid);
        Assert.Equal(ProblemSeverity.Warning, Only(truncate, ProblemCodes.TooLong).Severity);
        Assert.Equal(4 + 2, truncate.Lengths.TrainingTokens);

        var drop = Validate(f, new ValidationOptions { MaxLength = 4, Truncation = TruncationPolicy.Drop });
        Assert.Contains("dropped", Only(drop, ProblemCodes.TooLong).Message);
        Assert.Equal(2, drop.Lengths.TrainingTokens);
        Assert.Equal(8, drop.Lengths.Total);
    }

    [Fact]
    public void Duplicates_AfterNormalization_AndConflictingLabels()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl",
            """{"text":"Great  film!","label":"pos"}""",
            """{"text":"great film!","label":"pos"}""",
            """{"text":"GREAT FILM!","label":"neg"}""");
        var r = Validate(f);
        var dup = Only(r, ProblemCodes.Duplicate);
        AssertAt(dup, f, 2, "text");
        Assert.Equal(ProblemSeverity.Warning, dup.Severity);
        Assert.Contains($"{f}:1", dup.Message);
        AssertAt(Only(r, ProblemCodes.ConflictingLabel), f, 3, "text");
        Assert.Equal(2, r.Duplicates);
    }

    [Fact]
    public void Leakage_BetweenSplitFiles_IsAnError()
    {
        using var dir = new TempDir();
        var train = dir.Lines("train.jsonl", """{"text":"alpha","label":"a"}""", """{"text":"beta","label":"b"}""");
        var val = dir.Lines("val.jsonl", """{"text":"gamma","label":"a"}""", """{"text":"Beta","label":"b"}""");
        var test = dir.Lines("test.jsonl", """{"text":"gamma","label":"a"}""");
        var r = DataValidator.Validate([train, val, test], new ValidationOptions(), [train, val, test]);

        var leaks = r.Problems.Where(p => p.Code == ProblemCodes.Leakage).ToList();
        Assert.Equal(2, leaks.Count);
        AssertAt(leaks[0], val, 2, "text");
        Assert.Contains($"{train}:2", leaks[0].Message);
        AssertAt(leaks[1], test, 1, "text");
        Assert.Equal(2, r.Leaks);
        Assert.False(r.IsValid);
    }

    [Fact]
    public void Csv_WithFieldMap_AndInvalidRows()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.csv", "review,stars", "loved it,5", "meh,", "x,y,z");
        var r = Validate(f, new ValidationOptions { Fields = FieldNames.Parse(["text=review", "label=stars"]) });
        AssertAt(Only(r, ProblemCodes.EmptyField), f, 3, "stars");
        AssertAt(Only(r, ProblemCodes.InvalidCsv), f, 4, null);
    }

    [Fact]
    public void UnknownShape_IsReportedPerRecord()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"foo":1}""", """{"text":"fine"}""");
        var r = Validate(f);
        AssertAt(Only(r, ProblemCodes.UnknownShape), f, 1, null);
        Assert.Equal(RecordShape.Text, r.Files[0].Shape);
    }

    [Fact]
    public void TokenCounter_IsUsedForLengths()
    {
        using var dir = new TempDir();
        var f = dir.Lines("a.jsonl", """{"text":"abcdef"}""");
        var chars = new TuneSharp.Data.Tokens.DelegateTokenCounter("chars", s => s.Length);
        var r = Validate(f, new ValidationOptions { TokenCounter = chars, MaxLength = 5 });
        Assert.Contains("6 tokens", Only(r, ProblemCodes.TooLong).Message);
        Assert.Equal("chars", r.TokenCounter);
    }

    [Fact]
    public void BioChecker_AcceptsValidSequences()
    {
        Assert.Empty(BioChecker.Check(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-LOC"]));
        Assert.Single(BioChecker.Check(["I-PER"]));
    }

    [Fact]
    public void ContentHash_NormalizesCaseSpaceAndUnicode()
    {
        Assert.Equal(ContentHash.Of("Ｈｅｌｌｏ   World "), ContentHash.Of("hello world"));
        Assert.NotEqual(ContentHash.Of("hello world"), ContentHash.Of("hello words"));
    }
}
