using System.CommandLine;

namespace TuneSharp.Cli;

/// <summary>Runs a parsed command and turns user errors into one clear line and a non-zero exit.</summary>
public static class CliRunner
{
    /// <summary>Exit code for a user mistake (bad file, key or option).</summary>
    public const int UserErrorExit = 2;

    public static int Run(RootCommand root, string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var err = stderr ?? Console.Error;
        try
        {
            // Exceptions reach the catch below instead of System.CommandLine printing a stack trace.
            var config = new InvocationConfiguration { Output = stdout ?? Console.Out, Error = err, EnableDefaultExceptionHandler = false };
            var parsed = root.Parse(args);
            // A bad command line is a user mistake like any other: one line, exit 2 (help only when asked).
            bool wantsHelp = args.Any(a => a is "-h" or "--help" or "-?");
            if (parsed.Errors.Count > 0 && !wantsHelp && args.Length > 0)
            {
                err.WriteLine($"error: {string.Join("; ", parsed.Errors.Select(e => e.Message))} (see --help)");
                return UserErrorExit;
            }
            return parsed.Invoke(config);
        }
        catch (UserError e)
        {
            err.WriteLine("error: " + e.Message);
            return UserErrorExit;
        }
    }
}
