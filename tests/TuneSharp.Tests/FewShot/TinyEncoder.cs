using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Tests.Tasks;

namespace TuneSharp.Tests.FewShot;

/// <summary>
/// A sentence-encoder folder (BertModel keys, as <c>models import</c> writes for MiniLM) made from the tiny-bert-cls
/// fixture: its "bert." weights without the prefix, its config and tokenizer; without modules.json the encoder pools by
/// the mean, as MiniLM does.
/// </summary>
static class TinyEncoder
{
    public static string Write(string root)
    {
        var dir = Path.Combine(root, "tiny-encoder");
        Directory.CreateDirectory(dir);
        foreach (var file in new[] { "config.json", "tokenizer.json", "tokenizer_config.json" })
            File.Copy(Path.Combine(TaskTestKit.Bert, file), Path.Combine(dir, file));
        using var classifier = Pretrained.LoadBertClassifier(TaskTestKit.Bert);
        var weights = classifier.state_dict().Where(kv => kv.Key.StartsWith("bert.", StringComparison.Ordinal))
            .Select(kv => KeyValuePair.Create(kv.Key["bert.".Length..], kv.Value)).ToList();
        SafetensorsWriter.Write(Path.Combine(dir, "model.safetensors"), weights);
        return dir;
    }
}
