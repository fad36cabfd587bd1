using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Tasks;

namespace TuneSharp.Inference;

/// <summary>What <see cref="BatchPrediction"/> runs: a trained model folder, its task, and how records are read and decoded.</summary>
public sealed record PredictOptions
{
    /// <summary>Hugging Face model folder (config.json, *.safetensors, tokenizer.json), e.g. a run's <c>model/</c>.</summary>
    public required string ModelDir { get; init; }

    /// <summary>Task name: one of <see cref="TaskBuilder.Names"/>.</summary>
    public required string Task { get; init; }

    /// <summary>Field names of the input records (the same names training read).</summary>
    public FieldNames Fields { get; init; } = new();

    /// <summary>Longest input in tokens for the classifiers (longer inputs are truncated, as in training).</summary>
    public int MaxLength { get; init; } = 512;

    /// <summary>Records per forward pass (classifiers); generation decodes one record at a time.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Generation: new-token limit per record (greedy, stops at EOS).</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Multi-label classification: a label is predicted when its probability reaches this.</summary>
    public double MultiLabelThreshold { get; init; } = 0.5;

    /// <summary>Seq2seq: text between the source and the target (the prompt ends with it), as in training.</summary>
    public string Separator { get; init; } = "\n";

    /// <summary>Input format; null detects it from the file name or content.</summary>
    public DataFormat? Format { get; init; }

    /// <summary>A multi-task model folder's head to predict with (required there, an error elsewhere).</summary>
    public string? Head { get; init; }

    /// <summary>Device: auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Checks the numeric options; a bad value is a <see cref="UserError"/> naming the option.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new UserError($"batch_size: must be at least 1, got {BatchSize}");
        if (MaxLength < 1) throw new UserError($"max_length: must be positive, got {MaxLength}");
        if (MaxNewTokens < 1) throw new UserError($"max_new_tokens: must be at least 1, got {MaxNewTokens}");
        if (!(MultiLabelThreshold > 0 && MultiLabelThreshold < 1))
            throw new UserError($"threshold: must be between 0 and 1, got {MultiLabelThreshold}");
    }
}
