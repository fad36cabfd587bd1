namespace TuneSharp.Data.Tokens;

/// <summary>An <see cref="ITokenCounter"/> from a function, to wrap any tokenizer.</summary>
/// <param name="name">Description for reports.</param>
/// <param name="count">Returns the token count of a text.</param>
public sealed class DelegateTokenCounter(string name, Func<string, int> count) : ITokenCounter
{
    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public int Count(string text) => count(text);
}
