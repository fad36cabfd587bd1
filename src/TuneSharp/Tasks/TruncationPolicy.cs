namespace TuneSharp.Tasks;

/// <summary>What an SFT/seq2seq example longer than <see cref="TaskOptions.MaxLength"/> becomes.</summary>
public enum TruncationPolicy
{
    /// <summary>Cut the end of the row (prompt kept, completion shortened; its EOS may be lost). An example left with no trained token is dropped.</summary>
    Right,
    /// <summary>Drop the whole example.</summary>
    Drop,
}
