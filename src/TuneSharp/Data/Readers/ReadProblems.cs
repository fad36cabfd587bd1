using TuneSharp.Data.Validation;

namespace TuneSharp.Data.Readers;

/// <summary>
/// Where readers send unreadable lines. Validation collects them; every other caller gets a
/// <see cref="UserError"/> instead, because skipping a bad line there would drop data silently.
/// </summary>
internal static class ReadProblems
{
    public static void Report(Action<DataProblem>? onProblem, DataProblem problem)
    {
        if (onProblem is null) throw new UserError(problem.ToString());
        onProblem(problem);
    }
}
