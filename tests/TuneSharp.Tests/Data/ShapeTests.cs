using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Shapes;

namespace TuneSharp.Tests.Data;

public class ShapeTests
{
    static JsonObject O(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("""{"text":"a","label":"pos"}""", RecordShape.Classification)]
    [InlineData("""{"tokens":["a"],"tags":["O"]}""", RecordShape.Tagging)]
    [InlineData("""{"prompt":"a","completion":"b"}""", RecordShape.PromptCompletion)]
    [InlineData("""{"instruction":"a","input":"","output":"b"}""", RecordShape.Instruction)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", RecordShape.Chat)]
    [InlineData("""{"text":"just text"}""", RecordShape.Text)]
    public void Detect_RecognisesEachShape(string json, RecordShape expected) =>
        Assert.Equal(expected, ShapeDetector.Detect(O(json)));

    [Fact]
    public void Detect_NothingKnown_IsNull() => Assert.Null(ShapeDetector.Detect(O("""{"foo":1}""")));

    [Fact]
    public void FieldMap_RenamesRoles_AndDetectionFollowsIt()
    {
        var map = FieldNames.Parse(["text_field=review", "label=stars"]);
        Assert.Equal(("review", "stars"), (map.Text, map.Label));
        Assert.Equal(RecordShape.Classification, ShapeDetector.Detect(O("""{"review":"good","stars":5}"""), map));
        Assert.Equal(RecordShape.Text, ShapeDetector.Detect(O("""{"review":"good"}"""), map));
    }

    [Fact]
    public void FieldMap_CommaSeparatedPairs() =>
        Assert.Equal(("q", "a"), (FieldNames.Parse(["prompt=q,completion=a"]).Prompt, FieldNames.Parse(["prompt=q,completion=a"]).Completion));

    [Fact]
    public void FieldMap_UnknownRole_IsAUserError() =>
        Assert.Contains("unknown role 'colour'", Assert.Throws<UserError>(() => FieldNames.Parse(["colour=x"])).Message);

    [Fact]
    public void TaskSpec_MapsNamesToShapesAndBio()
    {
        Assert.Equal(new TaskSpec(RecordShape.Tagging, true), TaskSpec.Parse("ner"));
        Assert.Equal(new TaskSpec(RecordShape.Tagging, false), TaskSpec.Parse("pos"));
        Assert.Equal(RecordShape.PromptCompletion, TaskSpec.Parse("seq2seq").Shape);
        Assert.Equal(RecordShape.Instruction, TaskSpec.Parse("alpaca").Shape);
        Assert.Throws<UserError>(() => TaskSpec.Parse("poetry"));
    }
}
