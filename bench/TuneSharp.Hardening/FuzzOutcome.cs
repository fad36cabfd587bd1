namespace TuneSharp.Hardening;

/// <summary>How one fuzzed input ended.</summary>
public enum FuzzOutcome
{
    /// <summary>The mutated file still loaded.</summary>
    Loaded,
    /// <summary>One clear <see cref="UserError"/> on one line.</summary>
    Rejected,
    /// <summary>Any other exception, a multi-line message, a hang or an allocation out of proportion to the file.</summary>
    Failed,
}

/// <summary>A failed input: what was done to which seed, and the reproducer kept on disk.</summary>
public sealed record FuzzFailure(string Target, int Seed, string Mutation, string Problem, string Reproducer);
