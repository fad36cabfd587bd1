namespace TuneSharp.Tokenization.Models;

/// <summary>A token of the pipeline: its id, its range in the original text, and its sequence (type id: 0 or 1).</summary>
internal readonly record struct ModelToken(int Id, int Start, int End, int TypeId = 0);
