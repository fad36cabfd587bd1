namespace TuneSharp.Tasks;

/// <summary>Builds an <see cref="ITask"/> from a task name, a model folder, the data and the options.</summary>
public static class TaskBuilder
{
    /// <summary>The task names <see cref="Create"/> accepts.</summary>
    public static readonly string[] Names = ["sequence-classification", "token-classification", "causal-lm-sft", "seq2seq", "causal-lm", "masked-lm"];

    /// <summary>
    /// The task <paramref name="task"/> on the model in <paramref name="modelDir"/>: "sequence-classification",
    /// "token-classification", "causal-lm-sft", "seq2seq" "causal-lm" (continued pretraining of a decoder) or "masked-lm" (of a BERT encoder). The model is
    /// loaded on <see cref="TaskOptions.Device"/> in training mode; every split is read and tokenized now.
    /// </summary>
    public static ITask Create(string task, string modelDir, TaskData data, TaskOptions? options = null)
    {
        options ??= new TaskOptions();
        if (options.MaxLength < 1) throw new UserError($"max_length: must be positive, got {options.MaxLength}");
        // Rows longer than the model's position table would index past it (a native crash): cap them.
        var config = Models.Pretrained.Config(modelDir);
        int? positions = config.IntOrNull("max_position_embeddings") ?? config.IntOrNull("n_positions");
        if (positions is int limit && options.MaxLength > limit) options = options with { MaxLength = limit };
        return task switch
        {
            "sequence-classification" => new SequenceClassificationTask(modelDir, data, options),
            "token-classification" => new TokenClassificationTask(modelDir, data, options),
            "causal-lm-sft" => new CausalLMTask(CausalLMKind.Sft, modelDir, data, options),
            "seq2seq" => new CausalLMTask(CausalLMKind.Seq2Seq, modelDir, data, options),
            "causal-lm" => new CausalLMTask(CausalLMKind.Pretraining, modelDir, data, options),
            "masked-lm" => new MaskedLMTask(modelDir, data, options),
            _ => throw new UserError($"task: '{task}' is not a task (tasks: {string.Join(", ", Names)})"),
        };
    }
}
