namespace TuneSharp.Tokenization.Training;

/// <summary>A distinct training word as the token ids it currently splits into, merged in place.</summary>
internal sealed class BpeWord(int[] symbols)
{
    int length = symbols.Length;

    /// <summary>The current token ids.</summary>
    public ReadOnlySpan<int> Symbols => symbols.AsSpan(0, length);

    /// <summary>
    /// Replaces each occurrence of (<paramref name="left"/>, <paramref name="right"/>), scanning left to right
    /// without overlap ("a a a" gives "aa a"), and reports the neighbouring pairs that disappear (-1) and
    /// appear (+1) to <paramref name="changes"/>, exactly as HF's <c>Word::merge</c> does. The merged pair
    /// itself is not reported: HF leaves its count as it was, and so must this trainer to pick the same merges.
    /// </summary>
    public void Merge(int left, int right, int replacement, List<(long Pair, int Change)> changes)
    {
        int write = 0, read = 0, n = length;
        while (read < n)
        {
            if (symbols[read] == left && read + 1 < n && symbols[read + 1] == right)
            {
                if (write > 0)
                {
                    int prev = symbols[write - 1];
                    changes.Add((BpeTrainer.PairKey(prev, left), -1));
                    changes.Add((BpeTrainer.PairKey(prev, replacement), 1));
                }
                symbols[write++] = replacement;
                read += 2;
                if (read < n)
                {
                    int next = symbols[read];
                    changes.Add((BpeTrainer.PairKey(right, next), -1));
                    changes.Add((BpeTrainer.PairKey(replacement, next), 1));
                }
            }
            else symbols[write++] = symbols[read++];
        }
        length = write;
    }
}
