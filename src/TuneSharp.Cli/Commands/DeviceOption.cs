using System.CommandLine;
using TuneSharp.Runtime;

namespace TuneSharp.Cli.Commands;

/// <summary>The shared <c>--device auto|cpu|cuda</c> option.</summary>
public static class DeviceOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--device") { Description = "auto (CUDA if available), cpu or cuda", DefaultValueFactory = _ => "auto" };
        option.AcceptOnlyFromAmong(DeviceSelection.Choices);
        return option;
    }
}
