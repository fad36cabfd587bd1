using System.CommandLine;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// Runs a data subcommand so that a <see cref="UserError"/> becomes "error: message" on stderr and exit 2.
/// System.CommandLine's default exception handler catches exceptions thrown by actions before
/// <see cref="CliRunner"/> sees them (and exits 1 with a stack trace), so the data commands handle their own.
/// </summary>
internal static class DataCommandGuard
{
    public static void SetGuardedAction(this Command command, Func<ParseResult, int> action) =>
        command.SetAction(parse =>
        {
            try
            {
                return action(parse);
            }
            catch (UserError e)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
                return CliRunner.UserErrorExit;
            }
        });
}
