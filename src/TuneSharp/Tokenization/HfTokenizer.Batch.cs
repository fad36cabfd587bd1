namespace TuneSharp.Tokenization;

public sealed partial class HfTokenizer
{
    /// <summary>Encodes a batch with padding and truncation (defaults: pad to the longest row, no truncation).</summary>
    public BatchEncoding EncodeBatch(IReadOnlyList<string> texts, EncodeOptions? options = null) =>
        EncodeBatch(texts, null, options);

    /// <summary>Encodes a batch of text pairs (<paramref name="pairs"/> null: single texts) with padding and truncation.</summary>
    public BatchEncoding EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs, EncodeOptions? options)
    {
        options ??= new EncodeOptions();
        if (pairs != null && pairs.Count != texts.Count)
            throw new ArgumentException($"{texts.Count} texts but {pairs.Count} pairs", nameof(pairs));
        int? maxLength = options.MaxLength ?? (options.Truncation || options.Padding == Padding.MaxLength ? ModelMaxLength : null);
        if (options.Padding == Padding.MaxLength && maxLength >= 1 << 24)
            throw new ArgumentException("Padding.MaxLength needs EncodeOptions.MaxLength (the model has no usable model_max_length)");
        var truncationSide = options.TruncationSide ?? config.TruncationSide;
        var rows = new TokenizedText[texts.Count];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = Encode(texts[i], pairs?[i], options.AddSpecialTokens, options.Truncation ? maxLength : null, truncationSide);

        int length = options.Padding switch
        {
            Padding.None => 0,
            Padding.Longest => rows.Length == 0 ? 0 : rows.Max(r => r.Ids.Length),
            _ => maxLength!.Value,
        };
        if (options.PadToMultipleOf is int m and > 0 && length % m != 0) length += m - length % m;
        bool pad = options.Padding != Padding.None && rows.Any(r => r.Ids.Length < length);
        int padId = 0;
        if (pad)
            padId = PadTokenId ?? throw new UserError(
                "tokenizer_config.json: pad_token is not set, so the batch cannot be padded (set one, e.g. the eos_token)");
        var side = options.PaddingSide ?? config.PaddingSide;

        var batch = new BatchEncoding(new int[rows.Length][], new int[rows.Length][], new int[rows.Length][], new (int, int)[rows.Length][]);
        for (int i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            int n = r.Ids.Length, total = Math.Max(n, options.Padding == Padding.None ? n : length);
            int at = side == Side.Left ? total - n : 0;
            var ids = new int[total];
            var mask = new int[total];
            var types = new int[total];
            var offsets = new (int, int)[total];
            Array.Fill(ids, padId);
            r.Ids.CopyTo(ids, at);
            Array.Fill(mask, 1, at, n);
            r.TypeIds.CopyTo(types, at);
            r.Offsets.CopyTo(offsets, at);
            batch.InputIds[i] = ids;
            batch.AttentionMask[i] = mask;
            batch.TokenTypeIds[i] = types;
            batch.Offsets[i] = offsets;
        }
        return batch;
    }
}
