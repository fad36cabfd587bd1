namespace TuneSharp.Hardening;

/// <summary>
/// One loader under fuzzing: a seed folder copied for every input, the file in it that is mutated, and the load
/// that must end in success or one <see cref="UserError"/>.
/// </summary>
/// <param name="Name">The format, as the reliability table names it.</param>
/// <param name="SeedDir">A folder with valid inputs (copied, never written).</param>
/// <param name="File">The file in the folder that each input replaces with a mutation.</param>
/// <param name="Load">Loads the folder the way the product does (the argument is the input's folder).</param>
/// <param name="TimeLimit">Longest one input may take before it counts as a hang.</param>
public sealed record FuzzTarget(string Name, string SeedDir, string File, Action<string> Load, TimeSpan TimeLimit);
