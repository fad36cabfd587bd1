using Microsoft.Extensions.AI;
using TuneSharp.ExtensionsAI;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Tests.Server;
using TuneSharp.Tokenization;

namespace TuneSharp.Tests.ExtensionsAI;

/// <summary>One tiny-llama chat client for the class, used only through <see cref="IChatClient"/>, and the reference engine.</summary>
public sealed class TinyLlamaChat : IDisposable
{
    public IChatClient Client { get; } = TuneSharpChatClient.Load(ServerKit.Llama);
    public HfTokenizer Tokenizer { get; } = HfTokenizer.Load(ServerKit.Llama);
    public ICausalLM Model { get; } = Pretrained.LoadCausalLM(ServerKit.Llama);

    /// <summary>The library's own greedy generation for a one-user-message chat.</summary>
    public (string Text, GenerationResult Result, int PromptTokens) Greedy(string user, int maxTokens)
    {
        var prompt = ServerKit.ChatPrompt(Tokenizer, user);
        var result = TextGenerator.Generate(Model, prompt, new GenerationOptions { MaxNewTokens = maxTokens });
        return (Tokenizer.Decode(result.NewIds, skipSpecialTokens: true), result, prompt.Count);
    }

    public void Dispose()
    {
        Client.Dispose();
        Model.Dispose();
    }
}

public sealed class ChatClientTests(TinyLlamaChat chat) : IClassFixture<TinyLlamaChat>
{
    const string User = "Tell me about fine-tuning";
    static readonly ChatOptions Greedy12 = new() { Temperature = 0, MaxOutputTokens = 12 };

    [Fact]
    public async Task Greedy_response_equals_the_library_greedy_generation_with_usage_and_finish_reason()
    {
        var (text, reference, promptTokens) = chat.Greedy(User, 12);
        var response = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], Greedy12);

        Assert.Equal(text, response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(reference.FinishReason == "length" ? ChatFinishReason.Length : ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(promptTokens, response.Usage!.InputTokenCount);
        Assert.Equal(reference.NewIds.Count, response.Usage.OutputTokenCount);
        Assert.Equal(promptTokens + reference.NewIds.Count, response.Usage.TotalTokenCount);
        Assert.Equal("tiny-llama", response.ModelId);
    }

    [Fact]
    public async Task Streaming_updates_concatenate_to_the_response_text_and_end_with_finish_reason_and_usage()
    {
        var whole = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], Greedy12);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, User)], Greedy12))
            updates.Add(update);

        Assert.True(updates.Count > 2, $"expected the text in several updates, got {updates.Count}");
        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(whole.FinishReason, updates[^1].FinishReason);
        Assert.All(updates[..^1], u => Assert.Null(u.FinishReason));
        var streamed = updates.ToChatResponse();
        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.Usage!.InputTokenCount, streamed.Usage!.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
    }

    [Fact]
    public async Task A_stream_left_early_leaves_the_next_call_exact()
    {
        var (text, _, _) = chat.Greedy(User, 12);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 90 };
        await foreach (var update in chat.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, User)], options))
            if (update.Text.Length > 0) break;
        // Leaving the loop disposes the stream, which stops the generation and waits for it before the next call.
        var next = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], Greedy12);
        Assert.Equal(text, next.Text);
    }

    [Fact]
    public async Task Max_output_tokens_bounds_the_answer()
    {
        var (text, reference, _) = chat.Greedy(User, 3);
        Assert.Equal(3, reference.NewIds.Count);   // the fixture's answer is longer than 3 tokens
        var response = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 3 });
        Assert.Equal(3, response.Usage!.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(text, response.Text);
    }

    [Fact]
    public async Task A_stop_sequence_ends_the_answer_before_it_streaming_or_not()
    {
        var (text, _, _) = chat.Greedy(User, 12);
        // A stop string taken from the middle of the greedy answer: the answer must end right before it.
        int at = text.Length / 2;
        var stop = text.Substring(at, 2);
        var expected = text[..text.IndexOf(stop, StringComparison.Ordinal)];
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 12, StopSequences = [stop] };

        var response = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], options);
        var streamed = new List<ChatResponseUpdate>();
        await foreach (var u in chat.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, User)], options)) streamed.Add(u);

        Assert.Equal(expected, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(expected, string.Concat(streamed.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, streamed[^1].FinishReason);
    }

    [Fact]
    public async Task A_seed_makes_sampling_repeatable_and_instructions_change_the_prompt()
    {
        var sampled = new ChatOptions { Temperature = 1.0f, TopP = 0.9f, TopK = 50, Seed = 7, MaxOutputTokens = 8 };
        var first = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], sampled);
        var again = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], sampled.Clone());
        Assert.Equal(first.Text, again.Text);

        var plain = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], Greedy12);
        var instructed = Greedy12.Clone();
        instructed.Instructions = "You are a terse assistant.";
        var withSystem = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], instructed);
        var explicitSystem = await chat.Client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a terse assistant."), new ChatMessage(ChatRole.User, User)], Greedy12);
        Assert.True(withSystem.Usage!.InputTokenCount > plain.Usage!.InputTokenCount);
        Assert.Equal(explicitSystem.Text, withSystem.Text);
        Assert.Equal(explicitSystem.Usage!.InputTokenCount, withSystem.Usage.InputTokenCount);
    }

    [Fact]
    public async Task A_json_response_format_gives_a_document_of_its_schema()
    {
        var schema = System.Text.Json.JsonDocument.Parse("""{"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}""").RootElement;
        var options = new ChatOptions { Temperature = 1, Seed = 2, MaxOutputTokens = 30, ResponseFormat = ChatResponseFormat.ForJsonSchema(schema), PresencePenalty = 0.5f };
        var response = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], options);
        var parsed = System.Text.Json.Nodes.JsonNode.Parse(response.Text)!.AsObject();
        Assert.Contains(parsed["ok"]!.GetValueKind(), new[] { System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False });
        var any = await chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], new ChatOptions { MaxOutputTokens = 30, ResponseFormat = ChatResponseFormat.Json });
        Assert.IsType<System.Text.Json.Nodes.JsonObject>(System.Text.Json.Nodes.JsonNode.Parse(any.Text));
    }

    public static TheoryData<string, ChatOptions> Unsupported => new()
    {
        { "FrequencyPenalty", new ChatOptions { FrequencyPenalty = 2.5f } },
        { "Tools", new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] } },
        { "ResponseFormat", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonDocument.Parse("""{"type": "string", "pattern": "a+"}""").RootElement) } },
        { "MaxOutputTokens", new ChatOptions { MaxOutputTokens = 0 } },
        { "TopP", new ChatOptions { TopP = 1.5f } },
        { "Temperature", new ChatOptions { Temperature = -0.1f } },
        { "ModelId", new ChatOptions { ModelId = "gpt-4o" } },
        { "StopSequences", new ChatOptions { StopSequences = ["ok", ""] } },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public async Task Options_the_engine_cannot_honour_are_one_user_error_naming_the_option(string option, ChatOptions options)
    {
        var e = await Assert.ThrowsAsync<UserError>(() => chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, User)], options));
        Assert.StartsWith(option + ":", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Non_text_content_and_a_prompt_that_fills_the_context_are_user_errors()
    {
        var image = new ChatMessage(ChatRole.User, [new TextContent("look"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]);
        var e = await Assert.ThrowsAsync<UserError>(() => chat.Client.GetResponseAsync([image]));
        Assert.StartsWith("messages[0]: DataContent", e.Message, StringComparison.Ordinal);

        var huge = string.Join(' ', Enumerable.Repeat("fine-tuning", 2000));
        var tooLong = await Assert.ThrowsAsync<UserError>(() => chat.Client.GetResponseAsync([new ChatMessage(ChatRole.User, huge)], Greedy12));
        Assert.Contains("context length", tooLong.Message, StringComparison.Ordinal);
    }
}
