namespace TuneSharp.Data.Tokens;

/// <summary>
/// Counts whitespace-separated words: the fallback when no --model is given. Subword tokenizers give more
/// tokens than words (roughly 1.3x for English BPE), so reports say this count is approximate.
/// </summary>
public sealed class WhitespaceTokenCounter : ITokenCounter
{
    /// <summary>The shared instance (the counter has no state).</summary>
    public static WhitespaceTokenCounter Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "whitespace words (approximate; pass --model for real token counts)";

    /// <inheritdoc/>
    public int Count(string text)
    {
        int count = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inWord) count++;
            inWord = !space;
        }
        return count;
    }
}
