namespace TuneSharp.Evaluation;

/// <summary>
/// seqeval's strict reading (<c>seqeval.scheme.Tokens.entities</c>): a chunk starts on a
/// scheme-specific (previous, current) prefix pattern, extends while tokens are "inside", and counts
/// only if it is properly closed. Malformed chunks (e.g. "I-PER" after "O" in IOB2) are dropped.
/// </summary>
internal static class StrictEntityReader
{
    [Flags]
    enum P { I = 1, O = 2, B = 4, E = 8, S = 16, Any = I | O | B | E | S }

    enum TagCond { Same, Diff, Any }

    readonly record struct Pattern(P Prev, P Current, TagCond Tag);

    sealed record Scheme(P Allowed, Pattern[] Start, Pattern[] Inside, Pattern[] End);

    // The tables are seqeval.scheme's IOB1, IOB2, IOE2 and IOBES classes.
    static readonly Dictionary<TaggingScheme, Scheme> Schemes = new()
    {
        [TaggingScheme.IOB1] = new(P.I | P.O | P.B,
            [new(P.O, P.I, TagCond.Any), new(P.I, P.I, TagCond.Diff), new(P.B, P.I, TagCond.Any),
             new(P.I, P.B, TagCond.Same), new(P.B, P.B, TagCond.Same)],
            [new(P.B, P.I, TagCond.Same), new(P.I, P.I, TagCond.Same)],
            [new(P.I, P.I, TagCond.Diff), new(P.I, P.O, TagCond.Any), new(P.I, P.B, TagCond.Any),
             new(P.B, P.O, TagCond.Any), new(P.B, P.I, TagCond.Diff), new(P.B, P.B, TagCond.Same)]),
        [TaggingScheme.IOB2] = new(P.I | P.O | P.B,
            [new(P.Any, P.B, TagCond.Any)],
            [new(P.B, P.I, TagCond.Same), new(P.I, P.I, TagCond.Same)],
            [new(P.I, P.O, TagCond.Any), new(P.I, P.I, TagCond.Diff), new(P.I, P.B, TagCond.Any),
             new(P.B, P.O, TagCond.Any), new(P.B, P.I, TagCond.Diff), new(P.B, P.B, TagCond.Any)]),
        [TaggingScheme.IOE2] = new(P.I | P.O | P.E,
            [new(P.O, P.I, TagCond.Any), new(P.O, P.E, TagCond.Any), new(P.E, P.I, TagCond.Any),
             new(P.E, P.E, TagCond.Any), new(P.I, P.I, TagCond.Diff), new(P.I, P.E, TagCond.Diff)],
            [new(P.I, P.E, TagCond.Same), new(P.I, P.I, TagCond.Same)],
            [new(P.E, P.Any, TagCond.Any)]),
        [TaggingScheme.IOBES] = new(P.Any,
            [new(P.Any, P.B, TagCond.Any), new(P.Any, P.S, TagCond.Any)],
            [new(P.B, P.I, TagCond.Same), new(P.B, P.E, TagCond.Same), new(P.I, P.I, TagCond.Same), new(P.I, P.E, TagCond.Same)],
            [new(P.S, P.Any, TagCond.Any), new(P.E, P.Any, TagCond.Any)]),
    };

    readonly record struct Tok(P Prefix, string Type);

    public static List<Entity> Read(string metric, IReadOnlyList<string> tags, int sentence, TaggingScheme schemeName, bool suffix)
    {
        var scheme = Schemes[schemeName];
        // The sentence plus a closing "O" sentinel, as seqeval's extended_tokens.
        var toks = new Tok[tags.Count + 1];
        for (int i = 0; i < tags.Count; i++)
        {
            var (letter, type) = TagParts.Strict(tags[i], suffix);
            P prefix = letter switch { 'I' => P.I, 'O' => P.O, 'B' => P.B, 'E' => P.E, 'S' => P.S, _ => 0 };
            if (prefix == 0 || (scheme.Allowed & prefix) == 0)
                throw new UserError(
                    $"{metric}: sentence {sentence}, token {i}: tag '{tags[i]}' is not valid in the {schemeName} scheme (strict mode).");
            toks[i] = new Tok(prefix, type);
        }
        toks[tags.Count] = new Tok(P.O, "_");

        var entities = new List<Entity>();
        var prev = new Tok(P.O, "_");
        int pos = 0;
        while (pos < toks.Length)
        {
            var token = toks[pos];
            if (Matches(scheme.Start, prev, token))
            {
                int end = Forward(scheme, toks, pos + 1, token);
                if (Matches(scheme.End, toks[end - 1], toks[end]))
                    entities.Add(new Entity(sentence, token.Type, pos, end));
                pos = end;
            }
            else pos++;
            prev = toks[pos - 1];
        }
        return entities;
    }

    static int Forward(Scheme scheme, Tok[] toks, int start, Tok prev)
    {
        for (int i = start; i < toks.Length; i++)
        {
            if (Matches(scheme.Inside, prev, toks[i])) prev = toks[i];
            else return i;
        }
        // Unreachable: the "O" sentinel is never inside a chunk.
        return toks.Length - 1;
    }

    static bool Matches(Pattern[] patterns, Tok prev, Tok current)
    {
        foreach (var p in patterns)
        {
            if ((p.Prev & prev.Prefix) == 0 || (p.Current & current.Prefix) == 0) continue;
            bool tagOk = p.Tag switch
            {
                TagCond.Any => true,
                TagCond.Same => prev.Type == current.Type,
                _ => prev.Type != current.Type,
            };
            if (tagOk) return true;
        }
        return false;
    }
}
