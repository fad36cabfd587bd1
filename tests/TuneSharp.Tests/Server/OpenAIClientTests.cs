using System.ClientModel;
using System.Text;
using OpenAI.Chat;
using OpenAI.Embeddings;
using TuneSharp.Adapters;
using TuneSharp.Generation;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Server;

/// <summary>The official OpenAI .NET client against a real Kestrel on loopback.</summary>
public class OpenAIClientTests(LlamaServerFixture fixture) : IClassFixture<LlamaServerFixture>
{
    const string Question = "Return the number of items in a container.";

    ChatClient Chat(string model = "tiny-llama") => new(model, ServerKit.Key, ServerKit.ClientOptions(fixture.Server));

    static ChatCompletionOptions Greedy(int maxTokens) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens };

    [Fact]
    public void Greedy_chat_equals_the_text_generator_with_usage_and_logprobs()
    {
        var prompt = ServerKit.ChatPrompt(fixture.Tokenizer, Question);
        var expected = ServerKit.Greedy(fixture.Model, fixture.Tokenizer, prompt, 12);
        var options = Greedy(12);
        options.IncludeLogProbabilities = true;
        options.TopLogProbabilityCount = 3;
        ChatCompletion completion = Chat().CompleteChat([new UserChatMessage(Question)], options);
        Assert.Equal(expected, completion.Content[0].Text);
        Assert.Equal(prompt.Count, completion.Usage.InputTokenCount);
        var reference = TextGenerator.Generate(fixture.Model, prompt, new GenerationOptions { MaxNewTokens = 12, Logprobs = 3 });
        Assert.Equal(reference.NewIds.Count, completion.Usage.OutputTokenCount);
        Assert.Equal(reference.NewIds.Count, completion.ContentTokenLogProbabilities.Count);
        for (int i = 0; i < reference.NewIds.Count; i++)
        {
            var lp = completion.ContentTokenLogProbabilities[i];
            Assert.Equal(reference.Logprobs![i].Logprob, lp.LogProbability, 4);
            Assert.Equal(3, lp.TopLogProbabilities.Count);
            byte[]? bytes = lp.Utf8Bytes?.ToArray();
            Assert.Equal(TokenBytes.Of(fixture.Tokenizer, reference.NewIds[i]).Bytes, bytes);
        }
    }

    [Fact]
    public void Streaming_chat_concatenates_to_the_whole_answer()
    {
        var whole = Chat().CompleteChat([new UserChatMessage(Question)], Greedy(20)).Value;
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        int updates = 0;
        foreach (var update in Chat().CompleteChatStreaming([new UserChatMessage(Question)], Greedy(20)))
        {
            updates++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
        }
        Assert.Equal(whole.Content[0].Text, text.ToString());
        Assert.Equal(whole.FinishReason, finish);
        Assert.True(updates > 2, $"expected a stream of updates, got {updates}");
    }

    [Fact]
    public void Adapter_output_differs_from_base_and_equals_the_merged_model()
    {
        const string q = "Fine-tuning adapts a pre-trained model to a task.";
        var prompt = ServerKit.ChatPrompt(fixture.Tokenizer, q);
        using var merged = Pretrained.LoadCausalLM(ServerKit.Llama);
        LoraModel.Load(merged.Module, ServerKit.Lora).MergeAndUnload();
        var expectedAdapter = ServerKit.Greedy(merged, fixture.Tokenizer, prompt, 16);
        var expectedBase = ServerKit.Greedy(fixture.Model, fixture.Tokenizer, prompt, 16);
        Assert.NotEqual(expectedBase, expectedAdapter);

        // Base, adapter, base again: switching back restores the base weights exactly.
        Assert.Equal(expectedBase, Chat().CompleteChat([new UserChatMessage(q)], Greedy(16)).Value.Content[0].Text);
        Assert.Equal(expectedAdapter, Chat("tiny-lora").CompleteChat([new UserChatMessage(q)], Greedy(16)).Value.Content[0].Text);
        Assert.Equal(expectedBase, Chat().CompleteChat([new UserChatMessage(q)], Greedy(16)).Value.Content[0].Text);
    }

    [Fact]
    public void Seeded_sampling_repeats_and_n_gives_several_choices()
    {
        var options = new ChatCompletionOptions { Temperature = 1.0f, MaxOutputTokenCount = 10 };
#pragma warning disable OPENAI001 // Seed is marked experimental in the client
        options.Seed = 1234;
#pragma warning restore OPENAI001
        var a = Chat().CompleteChat([new UserChatMessage(Question)], options).Value.Content[0].Text;
        var b = Chat().CompleteChat([new UserChatMessage(Question)], options).Value.Content[0].Text;
        Assert.Equal(a, b);
    }

    [Fact]
    public void Embeddings_are_the_mean_of_the_last_hidden_states()
    {
        var client = new EmbeddingClient("tiny-llama", ServerKit.Key, ServerKit.ClientOptions(fixture.Server));
        string[] inputs = ["A tiny model", "Return the number of items in a container."];
        var result = client.GenerateEmbeddings(inputs).Value;
        Assert.Equal(2, result.Count);
        for (int i = 0; i < inputs.Length; i++)
        {
            var ids = fixture.Tokenizer.Encode(inputs[i], addSpecialTokens: false);
            float[] expected;
            using (no_grad())
            {
                var hidden = fixture.Model.HiddenStates(tensor(ids.Select(x => (long)x).ToArray()).unsqueeze(0)); // (1, T, C)
                expected = hidden.mean([1])[0].data<float>().ToArray();
            }
            var got = result[i].ToFloats().ToArray();
            Assert.Equal(expected.Length, got.Length);
            for (int k = 0; k < got.Length; k++) Assert.Equal(expected[k], got[k], 4);
        }
    }

    [Fact]
    public void Wrong_key_unknown_model_and_too_long_prompt_are_401_404_400()
    {
        var badKey = new ChatClient("tiny-llama", new ApiKeyCredential("wrong"), ServerKit.ClientOptions(fixture.Server));
        var e401 = Assert.Throws<ClientResultException>(() => badKey.CompleteChat([new UserChatMessage("hi")], Greedy(2)));
        Assert.Equal(401, e401.Status);

        var e404 = Assert.Throws<ClientResultException>(() => Chat("no-such-model").CompleteChat([new UserChatMessage("hi")], Greedy(2)));
        Assert.Equal(404, e404.Status);
        Assert.Contains("no-such-model", e404.Message, StringComparison.Ordinal);

        // tiny-llama's context is 128 tokens: a 20-token prompt with 120 new tokens does not fit.
        var e400 = Assert.Throws<ClientResultException>(() => Chat().CompleteChat([new UserChatMessage(Question)], Greedy(120)));
        Assert.Equal(400, e400.Status);
        int promptTokens = ServerKit.ChatPrompt(fixture.Tokenizer, Question).Count;
        Assert.Contains("maximum context length is 128 tokens", e400.Message, StringComparison.Ordinal);
        Assert.Contains($"{promptTokens} in the messages, 120 in the completion", e400.Message, StringComparison.Ordinal);
    }
}
