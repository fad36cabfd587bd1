using TuneSharp.Models;
using TuneSharp.Templates;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.FewShot;

/// <summary>What a prompting run gave: the predicted label index per text, prompt tokens per text, shots that fit on average.</summary>
public sealed record PromptingResult(int[] Predicted, double TokensPerText, double ShotsKept);

/// <summary>
/// k-shot in-context classification with a causal LM and its chat template, by rank classification: the
/// conversation is a system line listing the labels, then each shot as a user passage and an assistant answer, then
/// the passage to classify; every label name is scored as the assistant's answer (mean log-probability per token)
/// and the best one wins, so a model that cannot follow instructions still gets its best guess. When the prompt and
/// the longest answer do not fit the context window the oldest shots are dropped (<see cref="PromptingResult.ShotsKept"/>
/// says how many stayed).
/// </summary>
public sealed class KShotPrompting(ICausalLM lm, HfTokenizer tokenizer, ChatTemplate template, IReadOnlyList<string> labelNames, string system)
{
    /// <summary>The system line, e.g. noun "genre", qualifier " of the Brown Corpus".</summary>
    public static string SystemPrompt(string noun, string qualifier, IReadOnlyList<string> labelNames) =>
        $"Classify each passage into one {noun}{qualifier}: {string.Join(", ", labelNames)}. Answer with the {noun} only.";

    public PromptingResult Classify(IReadOnlyList<string> texts, IReadOnlyList<(string Passage, int Label)> shots)
    {
        var answers = labelNames.Select(n => (IReadOnlyList<int>)tokenizer.Encode(n, addSpecialTokens: false)).ToList();
        int context = lm.Info.MaxPositionEmbeddings, longest = answers.Max(a => a.Count);
        var predicted = new int[texts.Count];
        long tokens = 0, kept = 0;
        for (int t = 0; t < texts.Count; t++)
        {
            IReadOnlyList<int> promptIds; int skip = 0;
            do promptIds = tokenizer.Encode(template.Render(Conversation(shots.Skip(skip++), texts[t]), addGenerationPrompt: true), addSpecialTokens: false);
            while (promptIds.Count + longest > context && skip <= shots.Count);
            kept += shots.Count - (skip - 1);
            var scores = AnswerScores(promptIds, answers);
            predicted[t] = Array.IndexOf(scores, scores.Max());
            tokens += promptIds.Count + answers.Sum(a => a.Count);
        }
        return new PromptingResult(predicted, tokens / (double)texts.Count, kept / (double)texts.Count);
    }

    List<ChatMessage> Conversation(IEnumerable<(string Passage, int Label)> shots, string passage)
    {
        var messages = new List<ChatMessage> { new("system", system) };
        foreach (var (p, l) in shots) { messages.Add(new("user", "Passage: " + p)); messages.Add(new("assistant", labelNames[l])); }
        messages.Add(new("user", "Passage: " + passage));
        return messages;
    }

    /// <summary>
    /// Mean log-probability per token of each answer after the prompt: the prompt is run once and its KV cache
    /// repeated for the answers (right-padded, one forward), instead of re-reading the prompt per answer.
    /// </summary>
    double[] AnswerScores(IReadOnlyList<int> prompt, IReadOnlyList<IReadOnlyList<int>> answers)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var cache = lm.NewCache();
        var ids = tensor(prompt.Select(i => (long)i).ToArray()).unsqueeze(0);                                // (1, P)
        var first = lm.LmHead(lm.HiddenStates(ids, null, null, cache)[.., ^1]).log_softmax(-1)[0];            // (V): the answer's first token
        int n = answers.Count, longest = answers.Max(a => a.Count), p = prompt.Count;
        var rows = new long[n * longest];
        var mask = new long[n * (p + longest)];
        for (int b = 0; b < n; b++)
        {
            for (int j = 0; j < p; j++) mask[b * (p + longest) + j] = 1;
            for (int j = 0; j < answers[b].Count; j++) { rows[b * longest + j] = answers[b][j]; mask[b * (p + longest) + p + j] = 1; }
        }
        using var repeated = cache.Repeat(n);
        var logp = lm.Forward(tensor(rows, [n, longest]), tensor(mask, [n, p + longest]), null, repeated).log_softmax(-1); // (n, L, V)
        var scores = new double[n];
        for (int b = 0; b < n; b++)
        {
            double sum = first[answers[b][0]].item<float>();
            for (int j = 1; j < answers[b].Count; j++) sum += logp[b, j - 1, answers[b][j]].item<float>();
            scores[b] = sum / answers[b].Count;
        }
        return scores;
    }

    /// <summary>The first <paramref name="n"/> words of <paramref name="text"/> (shots are cut short so more of them fit).</summary>
    public static string Words(string text, int n) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(n));
}
