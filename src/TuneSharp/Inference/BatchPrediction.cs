using System.Text.Json.Nodes;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Writing;

namespace TuneSharp.Inference;

/// <summary>
/// Batch inference over a data file: records are streamed in batches of <see cref="PredictOptions.BatchSize"/>,
/// and each output line is the record's fields followed by the prediction fields (a prediction field replaces an
/// input field of the same name). The output JSONL is written atomically: on any error the old file (or none) stays.
/// </summary>
public static class BatchPrediction
{
    /// <summary>Predicts every record of <paramref name="input"/> into <paramref name="output"/>; returns the number of rows written.</summary>
    public static long Run(string input, string output, PredictOptions options, IProgress<long>? progress = null)
    {
        if (!File.Exists(input) && !Directory.Exists(input)) throw new UserError($"{input}: input file not found");
        if (string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
            throw new UserError($"{output}: the output would replace the input; write to another file");
        using var predictor = Predictors.Create(options);
        return Run(predictor, input, output, options, progress);
    }

    /// <summary>Predicts with an already loaded <paramref name="predictor"/>.</summary>
    public static long Run(IPredictor predictor, string input, string output, PredictOptions options, IProgress<long>? progress = null)
    {
        using var writer = new AtomicJsonlWriter(output);
        foreach (var batch in DataSources.Open(input, options.Format).Chunk(options.BatchSize))
        {
            var predictions = predictor.Predict(batch);
            for (int i = 0; i < batch.Length; i++)
            {
                var row = (JsonObject)batch[i].Fields.DeepClone();
                foreach (var (key, value) in predictions[i]) row[key] = value?.DeepClone();
                writer.Write(row);
            }
            progress?.Report(writer.Count);
        }
        writer.Commit();
        return writer.Count;
    }
}
