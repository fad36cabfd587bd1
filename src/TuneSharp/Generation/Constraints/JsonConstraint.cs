using TuneSharp.Tokenization;

namespace TuneSharp.Generation.Constraints;

/// <summary>
/// Constrained decoding of a JSON document (OpenAI's response_format json_object / json_schema): a token is allowed
/// when its bytes continue a valid document of the schema and the shortest valid ending after it still fits in the
/// tokens left; end-of-sequence only once the document is complete. Because every ASCII byte is a token of a
/// byte-level vocabulary, the budget rule always leaves a way to close the document, so a row that starts with enough
/// tokens (<see cref="JsonSchemaNode.MinLength"/>) always ends in a document that parses and matches the schema.
/// </summary>
public sealed class JsonConstraint : ITokenConstraint
{
    readonly HfTokenizer tokenizer;
    readonly TokenTrie trie;
    readonly IReadOnlyCollection<int> endIds;
    JsonDecoderState state;

    /// <summary>A constraint for one row: <paramref name="endIds"/> are the tokens that end generation (eos, stop ids).</summary>
    public JsonConstraint(HfTokenizer tokenizer, JsonSchemaNode schema, IReadOnlyCollection<int> endIds)
    {
        this.tokenizer = tokenizer;
        trie = TokenTrie.For(tokenizer);
        this.endIds = endIds;
        state = JsonDecoderState.Start(schema);
    }

    public bool Finished => state.IsDone;

    /// <summary>The decoder state so far (tests, diagnostics).</summary>
    public JsonDecoderState State => state;

    public bool[] Allowed(int tokensLeft)
    {
        var allowed = new bool[Math.Max(trie.VocabSize, endIds.Count == 0 ? 0 : endIds.Max() + 1)];
        if (state.CanEnd) foreach (var id in endIds) allowed[id] = true;
        int budget = tokensLeft - 1; // tokens after this one; each gives at least one byte
        Walk(trie.Root, state, budget, allowed);
        return allowed;
    }

    static void Walk(TokenTrie.Node node, JsonDecoderState s, int budget, bool[] allowed)
    {
        foreach (var (b, child) in node.Children)
        {
            if (s.Step(b) is not { } next) continue;
            if (child.TokenIds.Count > 0 && next.MinBytesToEnd() <= budget)
                foreach (var id in child.TokenIds) allowed[id] = true;
            if (child.Children.Count > 0) Walk(child, next, budget, allowed);
        }
    }

    public void Accept(int tokenId)
    {
        if (endIds.Contains(tokenId)) return;
        foreach (var b in TokenBytes(tokenId))
            state = state.Step(b) ?? throw new InvalidOperationException($"token {tokenId} does not continue the JSON document");
    }

    byte[] TokenBytes(int id) => Generation.TokenBytes.Of(tokenizer, id).Bytes;
}
