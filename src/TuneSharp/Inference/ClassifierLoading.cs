using TuneSharp.Models;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;

namespace TuneSharp.Inference;

/// <summary>Steps shared by the classifier predictors: the trained label set, the tokenizer, the head check.</summary>
internal static class ClassifierLoading
{
    /// <summary>The model's id2label; a folder without one was never trained for <paramref name="task"/>.</summary>
    public static LabelSet Labels(ConfigJson config, string task) =>
        new(LabelSet.FromConfig(config.Root)
            ?? throw new UserError($"{config.Path}: no id2label: not a {task} model (train one with `tunesharp train`)"));

    /// <summary>The tokenizer and the vocabulary the model has (the larger of config.json's and the tokenizer's).</summary>
    public static (HfTokenizer Tokenizer, int VocabSize) Tokenizer(string dir, ConfigJson config)
    {
        var tokenizer = HfTokenizer.Load(dir);
        return (tokenizer, Math.Max(config.Int("vocab_size"), tokenizer.VocabSize));
    }

    /// <summary>
    /// The tokens an input may have: the requested max_length, capped by what the model can read (config.json's
    /// max_position_embeddings or n_positions, and the tokenizer's model_max_length), as pipelines truncate.
    /// </summary>
    public static int MaxLength(ConfigJson config, HfTokenizer tokenizer, int requested)
    {
        int positions = config.IntOrNull("max_position_embeddings") ?? config.IntOrNull("n_positions") ?? int.MaxValue;
        return Math.Min(requested, Math.Min(positions, tokenizer.ModelMaxLength > 0 ? tokenizer.ModelMaxLength : int.MaxValue));
    }

    /// <summary>Loads the weights, head included (a prediction with a random head is never silently made), then eval mode.</summary>
    public static void Load(IClassifierModel model, string dir, int vocabSize, string task)
    {
        if (!HeadCheckpoint.Load(model, dir, loadHead: true))
            throw new UserError($"{dir}: the checkpoint has no {task} head ({string.Join(", ", model.HeadKeys)}) for its {model.NumLabels} labels");
        model.ResizeTokenEmbeddings(vocabSize);
        model.Module.eval();
    }
}
