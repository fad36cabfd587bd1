using System.Globalization;
using System.Text.Json.Nodes;

namespace TuneSharp.Tuning;

/// <summary>
/// Only sample a parameter when another recipe key (a fixed value, the recipe's own, or an earlier parameter)
/// has one of <paramref name="Values"/>: e.g. <c>method.lora.r</c> only when <c>method.type</c> is <c>lora</c>.
/// </summary>
public sealed record ParamCondition(string Key, IReadOnlyList<string> Values);

/// <summary>
/// One searched recipe key. Samplers work in an "internal" number line so that one Parzen estimator serves every
/// kind: log-scaled values are searched as their logarithm, integers as numbers rounded to their step, and a
/// categorical value as the index of its choice.
/// </summary>
public abstract record ParamSpec(string Key, ParamCondition? When)
{
    /// <summary>Lowest and highest internal value.</summary>
    public abstract (double Low, double High) InternalRange { get; }

    /// <summary>The recipe value for an internal value (rounded to the parameter's grid).</summary>
    public abstract JsonNode FromInternal(double x);

    /// <summary>The internal value of a stored recipe value; null when it is not one of this parameter's values.</summary>
    public abstract double? ToInternal(JsonNode? value);

    /// <summary>Every value a grid search visits.</summary>
    public abstract IReadOnlyList<JsonNode> GridValues();

    /// <summary>A value drawn uniformly over the internal range (log-uniform for log parameters).</summary>
    public virtual JsonNode SampleUniform(Random rng)
    {
        var (lo, hi) = InternalRange;
        return FromInternal(lo + rng.NextDouble() * (hi - lo));
    }

    /// <summary>The value as text, as conditions and tables compare and show it.</summary>
    public static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue(out string? s) => s!,
        JsonValue v when v.TryGetValue(out double d) => d.ToString("G6", CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}

/// <summary>A real number in [low, high], searched on a log scale when <c>log</c> (learning rates).</summary>
public sealed record FloatParam(string Key, ParamCondition? When, double Low, double High, bool Log, double? Step, int GridPoints)
    : ParamSpec(Key, When)
{
    public override (double Low, double High) InternalRange => Log ? (Math.Log(Low), Math.Log(High)) : (Low, High);

    public override JsonNode FromInternal(double x)
    {
        double v = Log ? Math.Exp(x) : x;
        if (Step is double s) v = Low + Math.Round((v - Low) / s) * s;
        // Six significant digits: enough for any hyperparameter, and the stored YAML stays readable.
        v = double.Parse(Math.Clamp(v, Low, High).ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return JsonValue.Create(v);
    }

    public override double? ToInternal(JsonNode? value) =>
        value is JsonValue j && j.TryGetValue(out double v) ? (Log ? Math.Log(v) : v) : null;

    public override IReadOnlyList<JsonNode> GridValues()
    {
        if (Step is double s)
            return Enumerable.Range(0, (int)Math.Floor((High - Low) / s + 1e-9) + 1).Select(i => FromInternal(ToInternal(JsonValue.Create(Low + i * s))!.Value)).ToList();
        var (lo, hi) = InternalRange;
        return Enumerable.Range(0, GridPoints).Select(i => FromInternal(GridPoints == 1 ? lo : lo + (hi - lo) * i / (GridPoints - 1))).ToList();
    }
}

/// <summary>An integer in [low, high] on a grid of <c>step</c> (LoRA ranks, warm-up steps).</summary>
public sealed record IntParam(string Key, ParamCondition? When, long Low, long High, long Step, bool Log) : ParamSpec(Key, When)
{
    // Half a step beyond each end, so that rounding gives the end values as much room as the inner ones.
    public override (double Low, double High) InternalRange => Log
        ? (Math.Log(Math.Max(Low - 0.5 * Step, 0.5 * Low)), Math.Log(High + 0.5 * Step))
        : (Low - 0.5 * Step, High + 0.5 * Step);

    public override JsonNode FromInternal(double x)
    {
        double v = Log ? Math.Exp(x) : x;
        long k = (long)Math.Round((v - Low) / Step);
        return JsonValue.Create(Math.Clamp(Low + k * Step, Low, Low + (High - Low) / Step * Step));
    }

    public override double? ToInternal(JsonNode? value) =>
        value is JsonValue j && j.TryGetValue(out long v) ? (Log ? Math.Log(v) : v)
        : value is JsonValue d && d.TryGetValue(out double dv) ? (Log ? Math.Log(dv) : dv) : null;

    public override IReadOnlyList<JsonNode> GridValues()
    {
        var values = new List<JsonNode>();
        for (long v = Low; v <= High; v += Step) values.Add(JsonValue.Create(v));
        return values;
    }
}

/// <summary>One of a list of choices (text, numbers or booleans as YAML gives them).</summary>
public sealed record CategoricalParam(string Key, ParamCondition? When, IReadOnlyList<JsonNode> Choices) : ParamSpec(Key, When)
{
    public override (double Low, double High) InternalRange => (0, Choices.Count - 1);

    public override JsonNode FromInternal(double x) => Choices[Math.Clamp((int)Math.Round(x), 0, Choices.Count - 1)].DeepClone();

    public override double? ToInternal(JsonNode? value)
    {
        var text = Text(value);
        for (int i = 0; i < Choices.Count; i++)
            if (Text(Choices[i]) == text) return i;
        return null;
    }

    public override JsonNode SampleUniform(Random rng) => Choices[rng.Next(Choices.Count)].DeepClone();

    public override IReadOnlyList<JsonNode> GridValues() => Choices.Select(c => c.DeepClone()).ToList();
}
