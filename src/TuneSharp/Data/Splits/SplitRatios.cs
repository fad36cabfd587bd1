using System.Globalization;

namespace TuneSharp.Data.Splits;

/// <summary>Train/validation/test proportions; they must be non-negative and sum to 1.</summary>
public sealed record SplitRatios(double Train, double Validation, double Test)
{
    /// <summary>80/10/10.</summary>
    public static SplitRatios Default { get; } = new(0.8, 0.1, 0.1);

    /// <summary>The ratios as an array in split order.</summary>
    public double[] ToArray() => [Train, Validation, Test];

    /// <summary>Parses "0.8,0.1,0.1" (or two values, "0.9,0.1", for no test split).</summary>
    public static SplitRatios Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[3];
        if (parts.Length is < 2 or > 3) throw new UserError($"--ratios '{text}': expected train,validation[,test], e.g. 0.8,0.1,0.1");
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] < 0 || double.IsNaN(values[i]))
                throw new UserError($"--ratios '{text}': '{parts[i]}' is not a non-negative number");
        var ratios = new SplitRatios(values[0], values[1], values[2]);
        ratios.Check(text);
        return ratios;
    }

    /// <summary>Throws a <see cref="UserError"/> unless the ratios are non-negative, sum to 1 and train is positive.</summary>
    public void Check(string? shown = null)
    {
        shown ??= $"{Train},{Validation},{Test}";
        if (Train < 0 || Validation < 0 || Test < 0) throw new UserError($"ratios {shown}: must be non-negative");
        if (Math.Abs(Train + Validation + Test - 1) > 1e-6) throw new UserError($"ratios {shown}: must sum to 1 (they sum to {Train + Validation + Test:0.###})");
        if (Train <= 0) throw new UserError($"ratios {shown}: the train ratio must be positive");
    }
}
