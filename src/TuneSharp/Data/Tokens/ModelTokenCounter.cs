using TuneSharp.Tokenization;

namespace TuneSharp.Data.Tokens;

/// <summary>Turns <c>--model DIR</c> into an <see cref="ITokenCounter"/> backed by the model's tokenizer.json.</summary>
public static class ModelTokenCounter
{
    /// <summary>
    /// Loads the tokenizer of the Hugging Face model folder <paramref name="modelDir"/>. Counts include the
    /// special tokens the tokenizer adds (e.g. BOS), as training sees them.
    /// </summary>
    public static ITokenCounter Load(string modelDir)
    {
        if (!Directory.Exists(modelDir)) throw new UserError($"{modelDir}: no such model folder");
        var tokenizer = HfTokenizer.Load(modelDir);
        return new DelegateTokenCounter($"tokenizer of {modelDir}", text => tokenizer.Encode(text).Count);
    }
}
