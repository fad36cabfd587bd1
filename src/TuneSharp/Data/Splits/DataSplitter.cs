using System.Text.Json.Nodes;

namespace TuneSharp.Data.Splits;

/// <summary>
/// Seeded, stratified, group-aware splitting. Records are gathered into units (a group, or a single record),
/// units are shuffled per stratum with <see cref="Random"/>(seed) — whose sequence for a given seed is fixed
/// across .NET versions — and each unit goes to the part furthest below its target share of that stratum.
/// So proportions hold per stratum, groups never straddle parts, and the result depends only on the input and the seed.
/// </summary>
public static class DataSplitter
{
    /// <summary>Splits <paramref name="records"/> into train, validation and test.</summary>
    public static SplitResult Split(IReadOnlyList<DataRecord> records, SplitOptions options)
    {
        options.Ratios.Check();
        var parts = Assign(records, options, options.Ratios.ToArray());
        return new SplitResult(Pick(records, parts, 0), Pick(records, parts, 1), Pick(records, parts, 2));
    }

    /// <summary>
    /// k-fold cross-validation: every record is in the validation part of exactly one fold, stratified and
    /// group-aware like <see cref="Split"/>.
    /// </summary>
    public static IReadOnlyList<Fold> KFold(IReadOnlyList<DataRecord> records, int k, SplitOptions options)
    {
        if (k < 2) throw new UserError($"--k {k}: k-fold needs at least 2 folds");
        var parts = Assign(records, options, Enumerable.Repeat(1.0 / k, k).ToArray());
        return Enumerable.Range(0, k)
            .Select(f => new Fold(f + 1,
                records.Where((_, i) => parts[i] != f).ToList(),
                Pick(records, parts, f)))
            .ToList();
    }

    static List<DataRecord> Pick(IReadOnlyList<DataRecord> records, int[] parts, int part) =>
        records.Where((_, i) => parts[i] == part).ToList();

    /// <summary>The part index of each record.</summary>
    static int[] Assign(IReadOnlyList<DataRecord> records, SplitOptions options, double[] weights)
    {
        var units = Units(records, options);
        var strata = units
            .GroupBy(u => Stratum(records, u, options.StratifyBy))
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var random = new Random(options.Seed);
        var parts = new int[records.Count];
        foreach (var stratum in strata)
        {
            var shuffled = stratum.ToArray();
            random.Shuffle(shuffled);
            int size = shuffled.Sum(u => u.Count);
            var filled = new double[weights.Length];
            foreach (var unit in shuffled)
            {
                int best = 0;
                double bestDeficit = double.NegativeInfinity;
                for (int p = 0; p < weights.Length; p++)
                {
                    if (weights[p] <= 0) continue;
                    double deficit = weights[p] * size - filled[p];
                    if (deficit > bestDeficit + 1e-9) { best = p; bestDeficit = deficit; }
                }
                filled[best] += unit.Count;
                foreach (var index in unit) parts[index] = best;
            }
        }
        return parts;
    }

    /// <summary>Record indices per unit, in first-appearance order: one unit per group value, or per record.</summary>
    static List<List<int>> Units(IReadOnlyList<DataRecord> records, SplitOptions options)
    {
        Func<DataRecord, string>? keyOf = options.GroupBy is { } field ? r => Key(r, field, "--group-by") : options.GroupKey;
        if (keyOf is null) return Enumerable.Range(0, records.Count).Select(i => new List<int> { i }).ToList();
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        for (int i = 0; i < records.Count; i++)
        {
            var key = keyOf(records[i]);
            if (!byKey.TryGetValue(key, out var unit)) { byKey[key] = unit = new List<int>(); order.Add(unit); }
            unit.Add(i);
        }
        return order;
    }

    // A group's stratum is its most common value (ties: the ordinally smallest), so mixed groups still land somewhere sensible.
    static string Stratum(IReadOnlyList<DataRecord> records, List<int> unit, string? stratifyBy)
    {
        if (stratifyBy is null) return "";
        if (unit.Count == 1) return Key(records[unit[0]], stratifyBy, "--stratify");
        return unit.Select(i => Key(records[i], stratifyBy, "--stratify"))
            .GroupBy(k => k, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .First().Key;
    }

    static string Key(DataRecord record, string field, string option)
    {
        if (!record.Fields.TryGetPropertyValue(field, out var node) || node is null)
            throw new UserError($"{record.File}:{record.Line}: {field}: missing, but {option} {field} needs it in every record");
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
    }
}
