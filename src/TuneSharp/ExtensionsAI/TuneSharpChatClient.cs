using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using TuneSharp.Generation;
using TuneSharp.Models;
using ChatPrompt = TuneSharp.Templates.ChatPrompt;
using ChatTemplate = TuneSharp.Templates.ChatTemplate;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.ExtensionsAI;

/// <summary>
/// An <see cref="IChatClient"/> over a causal LM in this process: the tokenizer's chat template renders the
/// conversation (<see cref="ChatPrompt"/>) and <see cref="TextCompletion"/> generates, the same path the server's
/// /v1/chat/completions takes. Calls run one at a time (the model must not decode two sequences at once); a
/// streaming call holds the model until its enumeration ends.
/// </summary>
public sealed class TuneSharpChatClient : IChatClient
{
    readonly ICausalLM model;
    readonly HfTokenizer tokenizer;
    readonly ChatTemplate template;
    readonly bool ownsModel;
    readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>
    /// A client over an already loaded model and its tokenizer (which must carry a chat template). The caller keeps
    /// ownership of <paramref name="model"/> unless <paramref name="ownsModel"/>.
    /// </summary>
    public TuneSharpChatClient(ICausalLM model, HfTokenizer tokenizer, string modelId, bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        this.model = model;
        this.tokenizer = tokenizer;
        this.ownsModel = ownsModel;
        template = tokenizer.ChatTemplate is { } source ? new ChatTemplate(source)
            : throw new UserError($"{modelId}: the tokenizer has no chat template (tokenizer_config.json / chat_template.jinja), so it cannot chat");
        Metadata = new ChatClientMetadata("TuneSharp", null, modelId);
    }

    /// <summary>Loads a causal LM folder; the model id is the folder's name. The client owns and disposes the model.</summary>
    public static TuneSharpChatClient Load(string dir, Device? device = null)
    {
        var tokenizer = HfTokenizer.Load(dir);
        var lm = Pretrained.LoadCausalLM(dir, device);
        try { return new TuneSharpChatClient(lm, tokenizer, new DirectoryInfo(Path.GetFullPath(dir)).Name, ownsModel: true); }
        catch { lm.Dispose(); throw; }
    }

    /// <summary>Provider "TuneSharp" and the model id.</summary>
    public ChatClientMetadata Metadata { get; }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (prompt, generation) = Prepare(messages, options);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        CompletionOutput output;
        try
        {
            output = await Task.Run(() => TextCompletion.Complete(model, tokenizer, [prompt], generation, null, cancellationToken)[0],
                cancellationToken).ConfigureAwait(false);
        }
        finally { gate.Release(); }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, output.Text))
        {
            ResponseId = NewId(),
            ModelId = Metadata.DefaultModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = FinishReason(output.FinishReason),
            Usage = Usage(prompt.Count, output.TokenIds.Count),
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (prompt, generation) = Prepare(messages, options);
        string responseId = NewId();
        var created = DateTimeOffset.UtcNow;
        ChatResponseUpdate Update(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId, MessageId = responseId, ModelId = Metadata.DefaultModelId, CreatedAt = created,
        };
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int generated = 0;
            await foreach (var chunk in TextCompletion.Stream(model, tokenizer, [prompt], generation, cancellationToken).ConfigureAwait(false))
            {
                if (chunk.TokenId is not null) generated++;
                if (chunk.Delta.Length > 0) yield return Update([new TextContent(chunk.Delta)]);
                // The row's last chunk carries the finish reason; usage travels as content, as M.E.AI streams it.
                if (chunk.FinishReason is { } finish)
                {
                    var last = Update([new UsageContent(Usage(prompt.Count, generated))]);
                    last.FinishReason = FinishReason(finish);
                    yield return last;
                }
            }
        }
        finally { gate.Release(); }
    }

    /// <summary>The prompt ids and generation options of one call; bad messages or options are <see cref="UserError"/>s.</summary>
    (IReadOnlyList<int> Prompt, GenerationOptions Options) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.ModelId is { } asked && !string.Equals(asked, Metadata.DefaultModelId, StringComparison.Ordinal))
            throw new UserError($"ModelId: this client serves `{Metadata.DefaultModelId}`, not `{asked}`");
        var json = ChatMessagesMapping.ToTemplateMessages(messages, options?.Instructions);
        IReadOnlyList<int> prompt;
        try { prompt = ChatPrompt.Ids(template, tokenizer, json); }
        catch (UserError e) { throw new UserError($"messages: chat template: {e.Message}", e); }
        return (prompt, ChatOptionsMapping.ToGeneration(options, prompt.Count, model.Info.MaxPositionEmbeddings,
            schema => new Generation.Constraints.JsonConstraint(tokenizer, schema, model.Info.EosTokenIds.ToHashSet())));
    }

    static ChatFinishReason FinishReason(string reason) => reason == "length" ? ChatFinishReason.Length : ChatFinishReason.Stop;

    static UsageDetails Usage(int input, int output) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };

    static string NewId() => "chatcmpl-" + Guid.NewGuid().ToString("N");

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return Metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (ownsModel) model.Dispose();
        gate.Dispose();
    }
}
