using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.IO;
using TuneSharp.Tokenization;

namespace TuneSharp.Tasks;

/// <summary>Writes what a task deploys: a complete Hugging Face model folder, atomically.</summary>
internal static class ModelFolder
{
    /// <summary>Files copied unchanged from the source model folder when present.</summary>
    static readonly string[] carried = ["generation_config.json"];

    /// <summary>
    /// Fills a temporary folder with model.safetensors (the module's state dict, HF keys), config.json, the
    /// tokenizer (with any added tokens) and generation_config.json, then swaps it in for <paramref name="dir"/>.
    /// </summary>
    public static void Save(string dir, torch.nn.Module module, JsonObject config, HfTokenizer tokenizer, string sourceDir)
    {
        AtomicFolder.Write(dir, tmp =>
        {
            CheckpointWriter.Save(tmp, module.state_dict());
            AtomicFile.WriteAllText(Path.Combine(tmp, "config.json"),
                config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            tokenizer.Save(tmp);
            foreach (var name in carried)
            {
                var src = Path.Combine(sourceDir, name);
                if (File.Exists(src)) File.Copy(src, Path.Combine(tmp, name));
            }
        });
    }
}
