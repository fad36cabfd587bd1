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
            return parsed.Invoke(config);
        }
        catch (UserError e)
        {
            err.WriteLine("error: " + e.Message);
            return UserErrorExit;
        }
    }
}
