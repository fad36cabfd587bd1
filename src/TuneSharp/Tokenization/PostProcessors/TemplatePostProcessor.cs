using TuneSharp.Tokenization.Models;

namespace TuneSharp.Tokenization.PostProcessors;

/// <summary>
/// "TemplateProcessing" (Llama-3's "&lt;|begin_of_text|&gt; $A", BERT's "[CLS] $A [SEP]"), and
/// "BertProcessing" expressed as the same template. Without special tokens the sequences keep the
/// template's type ids, as in HF.
/// </summary>
internal sealed class TemplatePostProcessor : PostProcessor
{
    /// <summary>One template item: a sequence ("A" or "B") or a run of special token ids.</summary>
    readonly record struct Item(string? Sequence, int[] Ids, int TypeId);

    readonly Item[] single, pair;

    TemplatePostProcessor(Item[] single, Item[] pair)
    {
        this.single = single;
        this.pair = pair;
    }

    public override bool Joins => true;

    public static TemplatePostProcessor FromJson(JsonSection s)
    {
        var specials = new Dictionary<string, int[]>();
        if (s.OptObject("special_tokens") is { } map)
            foreach (var (name, _) in map.Node)
            {
                var entry = map.Object(name);
                specials[name] = entry.Array("ids").Select((n, i) => n?.GetValue<int>() ?? throw entry.Error($"ids[{i}]", "must be an id")).ToArray();
            }
        return new TemplatePostProcessor(ReadTemplate(s, "single", specials), ReadTemplate(s, "pair", specials));
    }

    static Item[] ReadTemplate(JsonSection s, string key, Dictionary<string, int[]> specials)
    {
        if (!s.Has(key)) return [];
        return s.Objects(key).Select(piece =>
        {
            if (piece.OptObject("Sequence") is { } seq)
                return new Item(seq.String("id"), [], seq.OptInt("type_id") ?? 0);
            var special = piece.OptObject("SpecialToken") ?? throw piece.Error("SpecialToken", "or Sequence is missing");
            var name = special.String("id");
            return specials.TryGetValue(name, out var ids)
                ? new Item(null, ids, special.OptInt("type_id") ?? 0)
                : throw special.Error("id", $"'{name}' is not in special_tokens");
        }).ToArray();
    }

    public static TemplatePostProcessor FromBert(JsonSection s, Func<string, int?> tokenId)
    {
        int Id(string key)
        {
            var pair = s.Array(key);
            var name = pair.Count > 0 ? pair[0]?.GetValue<string>() : null;
            return pair.Count == 2 && pair[1]?.GetValue<int>() is int id ? id
                : name != null && tokenId(name) is int known ? known : throw s.Error(key, "must be [token, id]");
        }
        int cls = Id("cls"), sep = Id("sep");
        return new TemplatePostProcessor(
            [new(null, [cls], 0), new("A", [], 0), new(null, [sep], 0)],
            [new(null, [cls], 0), new("A", [], 0), new(null, [sep], 0), new("B", [], 1), new(null, [sep], 1)]);
    }

    public override int AddedCount(bool isPair) => (isPair ? pair : single).Sum(i => i.Ids.Length);

    public override List<ModelToken> Join(List<ModelToken> a, List<ModelToken>? b, bool addSpecialTokens)
    {
        var template = b != null ? pair : single;
        if (template.Length == 0) return base.Join(a, b, addSpecialTokens);
        var all = new List<ModelToken>(a.Count + (b?.Count ?? 0) + 4);
        foreach (var item in template)
        {
            if (item.Sequence == null)
            {
                if (addSpecialTokens) all.AddRange(item.Ids.Select(id => new ModelToken(id, 0, 0, item.TypeId)));
                continue;
            }
            var seq = item.Sequence == "A" ? a : b ?? [];
            all.AddRange(seq.Select(t => t with { TypeId = item.TypeId }));
        }
        return all;
    }
}
