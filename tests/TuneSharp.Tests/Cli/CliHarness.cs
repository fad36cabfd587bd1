using System.CommandLine;
using TuneSharp.Cli;

namespace TuneSharp.Tests.Cli;

/// <summary>Runs one CLI command in-process and captures its output and exit code.</summary>
public static class CliHarness
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(Command command, params string[] args)
    {
        var root = new RootCommand("test") { command };
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliRunner.Run(root, args, o, e);
        return new Result(code, o.ToString(), e.ToString());
    }
}
