using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Inference;

public sealed class GenerationPredictTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    /// <summary>What TextGenerator.Generate produces greedily for the prompt, decoded as predict decodes it.</summary>
    static string Greedy(IReadOnlyList<int> prompt, int maxNewTokens)
    {
        var tokenizer = HfTokenizer.Load(TaskTestKit.Llama);
        using var lm = Pretrained.LoadCausalLM(TaskTestKit.Llama, CPU);
        var result = TextGenerator.Generate(lm, prompt, new GenerationOptions { MaxNewTokens = maxNewTokens, StopTokenIds = [tokenizer.EosTokenId!.Value] });
        Assert.NotEmpty(result.NewIds);
        return tokenizer.Decode(result.NewIds, skipSpecialTokens: true);
    }

    [Fact]
    public void Seq2seq_generation_equals_greedy_TextGenerator_on_source_plus_separator()
    {
        var output = kit.Path("out.jsonl");
        var r = InferenceKit.Predict("--model", TaskTestKit.Llama, "--task", "seq2seq", "--input",
            kit.Jsonl("in.jsonl", """{"word": "hello"}""", """{"word": "tokenizer"}"""), "--field", "source=word",
            "--output", output, "--max-new-tokens", "6", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = InferenceKit.ReadJsonl(output);
        var tokenizer = HfTokenizer.Load(TaskTestKit.Llama);
        Assert.Equal(2, rows.Count);
        Assert.Equal(Greedy(tokenizer.Encode("hello\n"), 6), (string)rows[0]["generated"]!);
        Assert.Equal(Greedy(tokenizer.Encode("tokenizer\n"), 6), (string)rows[1]["generated"]!);
        Assert.Equal("hello", (string)rows[0]["word"]!);
    }

    [Fact]
    public void Sft_prompts_are_rendered_as_training_rendered_them_chat_alpaca_and_prompt()
    {
        var output = kit.Path("out.jsonl");
        var r = InferenceKit.Predict("--model", TaskTestKit.Llama, "--task", "causal-lm-sft", "--input", kit.Jsonl("in.jsonl",
                """{"messages": [{"role": "user", "content": "hi there"}, {"role": "assistant", "content": "the reference"}]}""",
                """{"instruction": "Spell it", "input": "cat"}""",
                """{"prompt": "Once upon a time"}"""),
            "--output", output, "--max-new-tokens", "5", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = InferenceKit.ReadJsonl(output);
        var tokenizer = HfTokenizer.Load(TaskTestKit.Llama);
        // The chat template's rendering with the generation prompt, the assistant's reference left out.
        var chat = tokenizer.Encode("<|im_start|>user\nhi there<|im_end|>\n<|im_start|>assistant\n", addSpecialTokens: false);
        Assert.Equal(Greedy(chat, 5), (string)rows[0]["generated"]!);
        Assert.Equal(Greedy(tokenizer.Encode(AlpacaPrompt.Render("Spell it", "cat")), 5), (string)rows[1]["generated"]!);
        Assert.Equal(Greedy(tokenizer.Encode("Once upon a time"), 5), (string)rows[2]["generated"]!);
        Assert.Equal("the reference", (string)rows[0]["messages"]![1]!["content"]!); // the input record is kept whole
    }
}
