using System.Globalization;

namespace TuneSharp.Reporting;

/// <summary>The results grid shared by report.md and report.json: metric rows × split and baseline columns.</summary>
sealed class ResultsTable
{
    /// <summary>Column names: "validation", "test" (those the run has), then each baseline's name.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Metric names: loss first (the one every task has), then in first-seen order.</summary>
    public IReadOnlyList<string> Metrics { get; }

    readonly List<IReadOnlyDictionary<string, double>> values;

    ResultsTable(List<string> columns, List<IReadOnlyDictionary<string, double>> values)
    {
        Columns = columns;
        this.values = values;
        var names = values.SelectMany(v => v.Keys).Distinct(StringComparer.Ordinal).ToList();
        Metrics = names.Contains("loss") ? ["loss", .. names.Where(n => n != "loss")] : names;
    }

    public static ResultsTable From(RunSummary summary)
    {
        var columns = new List<string>();
        var values = new List<IReadOnlyDictionary<string, double>>();
        if (summary.Validation is { } validation) { columns.Add("validation"); values.Add(validation.Metrics); }
        if (summary.Test is { } test) { columns.Add("test"); values.Add(test.Metrics); }
        foreach (var baseline in summary.Baselines) { columns.Add(baseline.Name); values.Add(baseline.Metrics); }
        return new ResultsTable(columns, values);
    }

    /// <summary>The value of a metric in a column, or null where that column lacks it.</summary>
    public double? Value(string metric, int column) => values[column].TryGetValue(metric, out double v) ? v : null;

    /// <summary>A metric value as the report prints it: four decimals, invariant culture.</summary>
    public static string Format(double value) =>
        double.IsFinite(value) ? value.ToString("0.0000", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
