namespace TuneSharp.Generation.Constraints;

/// <summary>
/// Restricts which token may come next in one generated row (constrained decoding). One instance per row: it holds
/// the row's position in its grammar. <see cref="BatchGenerator"/> masks every other token before sampling.
/// </summary>
public interface ITokenConstraint
{
    /// <summary>
    /// The tokens allowed next, by id, when <paramref name="tokensLeft"/> tokens remain (this one included): a token is
    /// allowed only if the output can still be completed within the budget. Ids past the array are not allowed.
    /// </summary>
    bool[] Allowed(int tokensLeft);

    /// <summary>Advances past the chosen token.</summary>
    void Accept(int tokenId);

    /// <summary>The output is complete and nothing may follow: the row stops here.</summary>
    bool Finished { get; }
}
