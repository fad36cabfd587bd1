using TuneSharp.Tokenization.Models;

namespace TuneSharp.Tokenization.PostProcessors;

/// <summary>
/// The "post_processor" step of tokenizer.json, in two parts: per-sequence offset fixes (ByteLevel's
/// trim_offsets), then joining the sequence (or pair) with special tokens (TemplateProcessing, BertProcessing).
/// </summary>
internal abstract class PostProcessor
{
    /// <summary>Fixes the offsets of one encoded sequence in place.</summary>
    public virtual void AdjustOffsets(List<ModelToken> sequence, Func<int, string?> tokenText) { }

    /// <summary>Whether this step joins sequences (a template); the others only adjust offsets.</summary>
    public virtual bool Joins => false;

    /// <summary>Joins <paramref name="a"/> and optional <paramref name="b"/>, adding special tokens when asked.</summary>
    public virtual List<ModelToken> Join(List<ModelToken> a, List<ModelToken>? b, bool addSpecialTokens) => Concat(a, b);

    /// <summary>The join without special tokens: the pair's tokens get type id 1.</summary>
    public static List<ModelToken> Concat(List<ModelToken> a, List<ModelToken>? b)
    {
        var all = new List<ModelToken>(a);
        if (b != null) all.AddRange(b.Select(t => t with { TypeId = 1 }));
        return all;
    }

    /// <summary>How many special tokens <see cref="Join"/> adds (truncation leaves room for them).</summary>
    public virtual int AddedCount(bool pair) => 0;

    /// <summary>Builds the post-processor of a tokenizer.json section; null when the section is null.</summary>
    public static PostProcessor? FromJson(JsonSection? section, Func<string, int?> tokenId)
    {
        if (section is not { } s) return null;
        return s.Type("ByteLevel", "TemplateProcessing", "BertProcessing", "Sequence") switch
        {
            "ByteLevel" => new ByteLevelPostProcessor(s.Bool("trim_offsets", true), s.Bool("add_prefix_space", true)),
            "TemplateProcessing" => TemplatePostProcessor.FromJson(s),
            "BertProcessing" => TemplatePostProcessor.FromBert(s, tokenId),
            _ => new SequencePostProcessor(s.Objects("processors").Select(p => FromJson(p, tokenId)!).ToArray()),
        };
    }
}

/// <summary>"Sequence": every step adjusts offsets in order; the step that joins (if any) joins.</summary>
internal sealed class SequencePostProcessor(PostProcessor[] steps) : PostProcessor
{
    readonly PostProcessor? joiner = steps.LastOrDefault(s => s.Joins);

    public override void AdjustOffsets(List<ModelToken> sequence, Func<int, string?> tokenText)
    {
        foreach (var step in steps) step.AdjustOffsets(sequence, tokenText);
    }

    public override bool Joins => joiner != null;

    public override List<ModelToken> Join(List<ModelToken> a, List<ModelToken>? b, bool addSpecialTokens) =>
        joiner?.Join(a, b, addSpecialTokens) ?? base.Join(a, b, addSpecialTokens);

    public override int AddedCount(bool pair) => joiner?.AddedCount(pair) ?? 0;
}
