namespace TuneSharp.Data.Validation;

/// <summary>What training will do with examples longer than the max length; validation states it explicitly.</summary>
public enum TruncationPolicy
{
    /// <summary>Too-long examples are errors: fix the data or raise the limit.</summary>
    Error,
    /// <summary>Too-long examples will be cut to the max length (reported as warnings).</summary>
    Truncate,
    /// <summary>Too-long examples will be left out of training (reported as warnings, each one named).</summary>
    Drop,
}
