using System.CommandLine;
using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Runtime;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp export</c>: merge a LoRA adapter into its base model and save a plain Hugging Face folder.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Base model folder the adapter was trained on", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors)", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write: merged weights, config.json and tokenizer files", Required = true };
        var device = DeviceOption.Create();
        var command = new Command("export", "Merge a LoRA adapter into its base model and save a Hugging Face model folder") { model, adapter, output, device };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(model)!;
            var outDir = parse.GetValue(output)!;
            Export(dir, parse.GetValue(adapter)!, outDir, parse.GetValue(device));
            parse.InvocationConfiguration.Output.WriteLine($"wrote {outDir}");
            return 0;
        });
        return command;
    }

    /// <summary>Loads the base, merges the adapter (W + B·A·scaling) and saves with exactly the base keys.</summary>
    public static void Export(string modelDir, string adapterDir, string outDir, string? device = null)
    {
        if (Path.GetFullPath(outDir) == Path.GetFullPath(modelDir)) throw new UserError("--out: must differ from --model");
        using var lm = Pretrained.LoadCausalLM(modelDir, DeviceSelection.Resolve(device ?? "cpu"));
        var merged = LoraModel.Load(lm.Module, adapterDir).MergeAndUnload();
        Pretrained.Save(outDir, merged, Pretrained.Config(modelDir), sideFilesFrom: modelDir);
    }
}
