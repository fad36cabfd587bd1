namespace TuneSharp.Data.Cleaning;

/// <summary>
/// The reason codes a row can be removed with. A reason passed to the removed callback is a code, optionally
/// followed by ": " and a detail ("near_duplicate: of train.jsonl:12 (jaccard 0.91)"); reports count by code.
/// </summary>
public static class RemovalReasons
{
    /// <summary>No text left in the selected fields after cleaning.</summary>
    public const string Empty = "empty";
    /// <summary>Fewer characters than <see cref="CleanOptions.MinChars"/>.</summary>
    public const string TooShort = "too_short";
    /// <summary>More characters than <see cref="CleanOptions.MaxChars"/>.</summary>
    public const string TooLong = "too_long";
    /// <summary>Alphabetic ratio below <see cref="CleanOptions.MinAlphabeticRatio"/>.</summary>
    public const string LowAlphabeticRatio = "low_alphabetic_ratio";
    /// <summary>Duplicate-line fraction above <see cref="CleanOptions.MaxDuplicateLineFraction"/>.</summary>
    public const string RepeatedLines = "repeated_lines";
    /// <summary>Top n-gram share above <see cref="CleanOptions.MaxTopNgramShare"/>.</summary>
    public const string RepeatedNgrams = "repeated_ngrams";
    /// <summary>Same normalized text as an earlier kept row.</summary>
    public const string ExactDuplicate = "exact_duplicate";
    /// <summary>Estimated Jaccard similarity with an earlier kept row at or above the threshold.</summary>
    public const string NearDuplicate = "near_duplicate";

    /// <summary>The code part of a reason ("near_duplicate: of a.jsonl:3" → "near_duplicate").</summary>
    public static string CodeOf(string reason)
    {
        int colon = reason.IndexOf(':');
        return colon < 0 ? reason : reason[..colon];
    }
}
