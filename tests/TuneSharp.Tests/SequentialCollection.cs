namespace TuneSharp.Tests;

/// <summary>
/// Tests that need torch's process-wide random generator to themselves (exact-resume checks compare
/// dropout masks bit for bit): xunit runs this collection alone, with no other test in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential (global torch RNG)";
}
