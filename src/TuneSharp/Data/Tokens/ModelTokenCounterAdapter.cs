namespace TuneSharp.Data.Tokens;

/// <summary>
/// MERGE POINT: turns <c>--model DIR</c> into an <see cref="ITokenCounter"/> backed by the model's
/// tokenizer.json. <c>TuneSharp.Tokenization.HfTokenizer</c> is developed on another branch; once it is
/// merged, <see cref="Load"/> becomes
/// <c>var tok = HfTokenizer.Load(modelDir); return new DelegateTokenCounter("tokenizer " + modelDir, t => tok.Encode(t).Count);</c>.
/// Until then it checks the folder and fails with a clear message instead of guessing counts.
/// </summary>
public static class ModelTokenCounterAdapter
{
    /// <summary>Loads the tokenizer of the Hugging Face model folder <paramref name="modelDir"/>.</summary>
    public static ITokenCounter Load(string modelDir)
    {
        if (!Directory.Exists(modelDir)) throw new UserError($"{modelDir}: no such model folder");
        var tokenizerJson = Path.Combine(modelDir, "tokenizer.json");
        if (!File.Exists(tokenizerJson)) throw new UserError($"{tokenizerJson}: not found; --model needs a folder with tokenizer.json");
        throw new UserError($"{modelDir}: counting tokens with --model needs TuneSharp.Tokenization.HfTokenizer, which this build lacks; " +
                            "omit --model to count whitespace words");
    }
}
