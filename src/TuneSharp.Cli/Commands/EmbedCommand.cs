using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Inference;
using TuneSharp.IO;
using TuneSharp.Runtime;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp embed</c>: JSONL in, one vector per record out, with the model folder's own pooling.</summary>
public static class EmbedCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder, or minilm / arctic-xs (imported into the cache on first use)", Required = true };
        var input = new Option<string>("--input") { Description = "JSONL file, one record per line", Required = true };
        var output = new Option<string>("--output") { Description = "JSONL file to write: the input record plus \"embedding\"", Required = true };
        var field = new Option<string>("--field") { Description = "Field holding the text", DefaultValueFactory = _ => "text" };
        var batch = new Option<int>("--batch-size") { Description = "Texts per forward pass", DefaultValueFactory = _ => 32 };
        var device = DeviceOption.Create();
        var command = new Command("embed", "Embed the texts of a JSONL file with a model folder's sentence pooling (mean or CLS, normalised as the folder says)")
        {
            model, input, output, field, batch, device,
        };
        command.SetAction(parse =>
        {
            int n = Embed(parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(field)!,
                parse.GetValue(batch), parse.GetValue(device));
            parse.InvocationConfiguration.Output.WriteLine($"wrote {n} embeddings to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }

    /// <summary>Reads every record first (so a bad line fails before any work), embeds, writes atomically.</summary>
    public static int Embed(string modelDir, string inputPath, string outputPath, string field, int batchSize, string? device)
    {
        if (batchSize <= 0) throw new UserError("--batch-size: must be positive");
        if (!File.Exists(inputPath)) throw new UserError($"{inputPath}: not found");
        var records = new List<JsonObject>();
        var texts = new List<string>();
        int line = 0;
        foreach (var raw in File.ReadLines(inputPath))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            JsonObject record;
            try { record = JsonNode.Parse(raw) as JsonObject ?? throw new UserError($"{inputPath}:{line}: expected a JSON object"); }
            catch (JsonException e) { throw new UserError($"{inputPath}:{line}: invalid JSON ({e.Message})", e); }
            if (record[field] is not JsonValue v || !v.TryGetValue(out string? text))
                throw new UserError($"{inputPath}:{line}: field '{field}' is missing or not a string");
            records.Add(record);
            texts.Add(text);
        }
        if (records.Count == 0) throw new UserError($"{inputPath}: no records");
        using var encoder = SentenceEncoder.Load(Models.Import.ModelReference.Resolve(modelDir, Environment.CurrentDirectory), DeviceSelection.Resolve(device ?? "auto"));
        var vectors = encoder.Embed(texts, batchSize);
        AtomicFile.Write(outputPath, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            for (int i = 0; i < records.Count; i++)
            {
                records[i]["embedding"] = new JsonArray(vectors[i].Select(x => (JsonNode)x).ToArray());
                writer.WriteLine(records[i].ToJsonString());
            }
        });
        return records.Count;
    }
}
