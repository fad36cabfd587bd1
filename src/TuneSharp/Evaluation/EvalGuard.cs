namespace TuneSharp.Evaluation;

/// <summary>
/// Input checks shared by every metric. Each failure is a <see cref="UserError"/> whose message names
/// the metric and the offending argument, so the CLI can print it as one line.
/// </summary>
internal static class EvalGuard
{
    public static void SameLength(string metric, int predictions, int references,
        string predictionsName = "predictions", string referencesName = "references")
    {
        if (predictions != references)
            throw new UserError(
                $"{metric}: {predictionsName} has {predictions} item(s) but {referencesName} has {references}; they must pair up one to one.");
    }

    public static void NotEmpty(string metric, int count, string name)
    {
        if (count == 0)
            throw new UserError($"{metric}: {name} is empty; the metric is undefined without at least one item.");
    }

    public static T NotNull<T>(string metric, T? value, string name) where T : class
        => value ?? throw new UserError($"{metric}: {name} is missing (null).");

    public static void Finite(string metric, double value, string name)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw new UserError($"{metric}: {name} is {value}; a finite number is required.");
    }
}
