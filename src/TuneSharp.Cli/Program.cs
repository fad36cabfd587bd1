using System.CommandLine;
using TuneSharp.Cli;
using TuneSharp.Cli.Commands;

// Numbers and dates print the same on every machine, whatever its locale.
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;

// The `tunesharp` command: parses arguments and calls the library. Each command lives in Commands/.
var root = new RootCommand("TuneSharp: fine-tune pretrained language models in .NET")
{
    DoctorCommand.Create(),
    GenerateCommand.Create(),
    TrainCommand.Create(),
    PretrainCommand.Create(),
    QuickstartCommand.Create(),
    EvalCommand.Create(),
    PredictCommand.Create(),
    DataCommand.Create(),
    TokenizerCommand.Create(),
    ServeCommand.Create(),
    DashboardCommand.Create(),
    ExportCommand.Create(),
    ModelsCommand.Create(),
    EmbedCommand.Create(),
    TuneCommand.Create(),
    CardCommand.Create(),
    AuditCommand.Create(),
    ProbeCommand.Create(),
    DistillCommand.Create(),
    FewShotCommand.Create(),
};
return CliRunner.Run(root, args);
