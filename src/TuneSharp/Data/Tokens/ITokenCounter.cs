namespace TuneSharp.Data.Tokens;

/// <summary>Counts the tokens of a text, for length checks and training-token estimates.</summary>
public interface ITokenCounter
{
    /// <summary>A short description for reports, e.g. "whitespace words" or "tokenizer models/llama".</summary>
    string Name { get; }

    /// <summary>The number of tokens <paramref name="text"/> becomes.</summary>
    int Count(string text);
}
