using System.Runtime.CompilerServices;
using TuneSharp.Tokenization;

namespace TuneSharp.Generation.Constraints;

/// <summary>
/// The vocabulary as a byte trie: every token's UTF-8 bytes (byte-level pieces read back to their raw bytes) as a
/// path from the root, the token ids stored where their bytes end. Walking it with a parser state visits each shared
/// prefix once and prunes a whole subtree at the first byte the grammar refuses. Special tokens are left out: they are
/// never part of the constrained text. Built once per tokenizer.
/// </summary>
public sealed class TokenTrie
{
    /// <summary>One trie node: children by byte, and the ids of tokens whose bytes end here.</summary>
    public sealed class Node
    {
        public Dictionary<byte, Node> Children { get; } = [];
        public List<int> TokenIds { get; } = [];
    }

    public Node Root { get; } = new();

    /// <summary>Ids the trie covers (the tokenizer's vocabulary size).</summary>
    public int VocabSize { get; }

    static readonly ConditionalWeakTable<HfTokenizer, TokenTrie> Cache = new();

    TokenTrie(HfTokenizer tokenizer)
    {
        VocabSize = tokenizer.VocabSize;
        for (int id = 0; id < VocabSize; id++)
        {
            if (tokenizer.IsSpecial(id) || tokenizer.IdToToken(id) is null) continue;
            var bytes = TokenBytes.Of(tokenizer, id).Bytes;
            if (bytes.Length == 0) continue;
            var node = Root;
            foreach (var b in bytes)
            {
                if (!node.Children.TryGetValue(b, out var child)) node.Children[b] = child = new Node();
                node = child;
            }
            node.TokenIds.Add(id);
        }
    }

    /// <summary>The trie of <paramref name="tokenizer"/>'s vocabulary (cached for the tokenizer's lifetime).</summary>
    public static TokenTrie For(HfTokenizer tokenizer) => Cache.GetValue(tokenizer, t => new TokenTrie(t));
}
