using System.CommandLine;
using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Models.Export;
using TuneSharp.Runtime;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp export</c>: merge a LoRA adapter into its base model and save a plain Hugging Face folder
/// (<c>--format hf</c>), or write one GGUF file for llama.cpp (<c>--format gguf</c>, adapter optional).
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Base model folder (the one the adapter was trained on)", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors); required for --format hf" };
        var output = new Option<string>("--out") { Description = "hf: folder to write (merged weights, config.json, tokenizer files); gguf: the .gguf file", Required = true };
        var format = new Option<string>("--format") { Description = "hf (a Hugging Face folder) or gguf (one llama.cpp file; llama and qwen2 models)", DefaultValueFactory = _ => "hf" };
        var outType = new Option<string>("--outtype") { Description = "gguf weight type: f32, f16 or q8_0", DefaultValueFactory = _ => "f16" };
        var device = DeviceOption.Create();
        var command = new Command("export", "Merge a LoRA adapter into its base model and save a Hugging Face folder, or write a GGUF file for llama.cpp")
            { model, adapter, output, format, outType, device };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(model)!;
            var outPath = parse.GetValue(output)!;
            switch (parse.GetValue(format))
            {
                case "hf":
                    Export(dir, parse.GetValue(adapter) ?? throw new UserError("--adapter: required with --format hf"), outPath, parse.GetValue(device));
                    break;
                case "gguf":
                    GgufExport.Export(dir, parse.GetValue(adapter), outPath, GgufOutTypes.Parse(parse.GetValue(outType)!));
                    break;
                case var other:
                    throw new UserError($"--format: '{other}' is not supported (supported: hf, gguf)");
            }
            parse.InvocationConfiguration.Output.WriteLine($"wrote {outPath}");
            return 0;
        });
        return command;
    }

    /// <summary>Loads the base, merges the adapter (W + B·A·scaling) and saves with exactly the base keys.</summary>
    public static void Export(string modelDir, string adapterDir, string outDir, string? device = null)
    {
        if (Path.GetFullPath(outDir) == Path.GetFullPath(modelDir)) throw new UserError("--out: must differ from --model");
        using var lm = Pretrained.LoadCausalLM(modelDir, DeviceSelection.Resolve(device ?? "cpu"));
        if (lm.Prompt is not null) throw new UserError($"--model: {modelDir} is prompt-tuned (config.json key '{TuneSharp.Adapters.PromptTuning.PromptTuningModel.ModelConfigKey}'); merge a LoRA adapter into a plain model");
        var merged = LoraModel.Load(lm.Module, adapterDir).MergeAndUnload();
        Pretrained.Save(outDir, merged, Pretrained.Config(modelDir), sideFilesFrom: modelDir);
    }
}
