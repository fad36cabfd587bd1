using TuneSharp.Tests.Tasks;

namespace TuneSharp.Tests.Inference;

public sealed class PredictErrorTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    string Input => kit.Jsonl("in.jsonl", """{"text": "hello"}""", """{"body": "no text field here"}""");

    [Fact]
    public void Missing_model_folder_is_one_line_naming_the_folder()
    {
        var missing = kit.Path("no-such-model");
        var r = InferenceKit.Predict("--model", missing, "--task", "sequence-classification", "--input", Input, "--output", kit.Path("out.jsonl"));
        InferenceKit.AssertOneLineError(r, missing, "model folder not found");
        Assert.False(File.Exists(kit.Path("out.jsonl")));
    }

    [Fact]
    public void Unknown_task_is_one_line_listing_the_tasks()
    {
        var r = InferenceKit.Predict("--model", TaskTestKit.Bert, "--task", "summarization", "--input", Input, "--output", kit.Path("out.jsonl"));
        InferenceKit.AssertOneLineError(r, "task: 'summarization' is not a task", "sequence-classification");
    }

    [Fact]
    public void Missing_text_field_names_file_line_and_field_and_writes_nothing()
    {
        var input = Input;
        var output = kit.Path("out.jsonl");
        File.WriteAllText(output, "old\n");
        var r = InferenceKit.Predict("--model", TaskTestKit.Bert, "--task", "sequence-classification", "--input", input, "--output", output,
            "--batch-size", "1", "--device", "cpu");
        InferenceKit.AssertOneLineError(r, $"{input}:2: field 'text': is missing");
        Assert.Equal("old\n", File.ReadAllText(output));                                   // atomic: the old file stays
        Assert.Single(Directory.GetFiles(kit.Dir, "*out.jsonl*"));                          // no temporary left behind
    }

    [Fact]
    public void Unreadable_line_missing_input_and_adapter_folders_are_one_line_errors()
    {
        var bad = kit.Jsonl("bad.jsonl", """{"text": "fine"}""", "{not json");
        InferenceKit.AssertOneLineError(InferenceKit.Predict("--model", TaskTestKit.Bert, "--task", "sequence-classification",
            "--input", bad, "--output", kit.Path("out.jsonl"), "--device", "cpu"), $"{bad}:2");
        var none = kit.Path("none.jsonl");
        InferenceKit.AssertOneLineError(InferenceKit.Predict("--model", TaskTestKit.Bert, "--task", "sequence-classification",
            "--input", none, "--output", kit.Path("out.jsonl")), none, "input file not found");
        var adapter = Fixtures.HfTiny("tiny-llama-lora");
        InferenceKit.AssertOneLineError(InferenceKit.Predict("--model", adapter, "--task", "seq2seq",
            "--input", Input, "--output", kit.Path("out.jsonl")), adapter, "LoRA adapter folder");
        InferenceKit.AssertOneLineError(InferenceKit.Predict("--task", "seq2seq", "--input", Input, "--output", kit.Path("out.jsonl")),
            "--model DIR and --task TASK");
        InferenceKit.AssertOneLineError(InferenceKit.Predict("--model", TaskTestKit.Bert, "--task", "sequence-classification",
            "--input", Input, "--output", kit.Path("out.jsonl"), "--field", "txt=body"), "unknown role 'txt'", "did you mean 'text'");
    }

    [Fact]
    public void A_base_model_without_id2label_cannot_classify()
    {
        var r = InferenceKit.Predict("--model", TaskTestKit.Llama, "--task", "token-classification", "--input", Input,
            "--output", kit.Path("out.jsonl"), "--device", "cpu");
        InferenceKit.AssertOneLineError(r, "config.json: no id2label: not a token-classification model");
    }
}
