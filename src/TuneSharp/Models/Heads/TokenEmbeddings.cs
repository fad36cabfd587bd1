using TuneSharp.Models.Gpt2;
using TuneSharp.Models.Llama;

namespace TuneSharp.Models.Heads;

/// <summary>Embedding resizing for any causal LM TuneSharp builds.</summary>
public static class TokenEmbeddings
{
    /// <summary>
    /// Grows the model's vocabulary to <paramref name="newVocabSize"/> rows with mean-initialised new rows
    /// (embeddings and an untied lm_head); a no-op when the size is unchanged.
    /// </summary>
    public static void Resize(ICausalLM model, int newVocabSize)
    {
        if (newVocabSize == model.Info.VocabSize) return;
        switch (model)
        {
            case LlamaForCausalLM llama: llama.ResizeTokenEmbeddings(newVocabSize); break;
            case Gpt2LMHeadModel gpt2: gpt2.ResizeTokenEmbeddings(newVocabSize); break;
            default: throw new UserError($"resize_token_embeddings: not supported for {model.GetType().Name}");
        }
    }
}
