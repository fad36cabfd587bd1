using System.CommandLine;
using TuneSharp.Cli;
using TuneSharp.Cli.Commands;

// The `tunesharp` command: parses arguments and calls the library. Each command lives in Commands/.
var root = new RootCommand("TuneSharp: fine-tune pretrained language models in .NET")
{
    DoctorCommand.Create(),
    DataCommand.Create(),
};
return CliRunner.Run(root, args);
