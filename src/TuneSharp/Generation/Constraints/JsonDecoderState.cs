namespace TuneSharp.Generation.Constraints;

/// <summary>
/// Where a byte-level JSON parser stands inside a document that must match a <see cref="JsonSchemaNode"/>: an
/// immutable stack of frames, so that a state is shared freely while the token trie is walked (each branch steps its
/// own copy for free). Compact JSON only: no whitespace between tokens, so a model cannot stall on spaces.
/// <see cref="Step"/> returns null for a byte that cannot continue a valid document; <see cref="MinBytesToEnd"/> is the
/// exact length of the shortest valid ending, which lets decoding close the document within its token budget.
/// </summary>
public sealed partial class JsonDecoderState
{
    readonly Frame? top;
    readonly JsonDecoderState? rest;
    readonly bool done;

    JsonDecoderState(Frame? top, JsonDecoderState? rest, bool done = false) { this.top = top; this.rest = rest; this.done = done; }

    /// <summary>The state before the first byte of a value of <paramref name="schema"/>.</summary>
    public static JsonDecoderState Start(JsonSchemaNode schema) => new(new ValueFrame(schema), Root);

    static readonly JsonDecoderState Root = new(null, null);
    static readonly JsonDecoderState Finished = new(null, null, done: true);

    /// <summary>The document is complete and no byte can extend it.</summary>
    public bool IsDone => done;

    /// <summary>The document may end here (it is complete; a number or literal at the top level may still grow).</summary>
    public bool CanEnd => done || (top is { Terminable: true } && rest!.Complete(top.Tag) is { done: true });

    JsonDecoderState Push(Frame f) => new(f, this);
    JsonDecoderState Replace(Frame f) => new(f, rest);

    /// <summary>The state after <paramref name="b"/>, or null when no valid document continues with it.</summary>
    public JsonDecoderState? Step(byte b)
    {
        switch (top)
        {
            case null: return null; // done: nothing may follow
            case ValueFrame v: return rest!.StartValue(v.Schema, b);
            case StringFrame s:
                if (s.Utf8Left > 0) return b is >= 0x80 and <= 0xBF ? Replace(s with { Utf8Left = s.Utf8Left - 1 }) : null;
                if (s.HexLeft > 0) return IsHex(b) ? Replace(s with { HexLeft = s.HexLeft - 1 }) : null;
                if (s.AfterBackslash)
                    return b == (byte)'u' ? Replace(s with { AfterBackslash = false, HexLeft = 4 })
                        : "\"\\/bfnrt".Contains((char)b) ? Replace(s with { AfterBackslash = false }) : null;
                if (b == (byte)'"') return rest!.Complete(-1);
                if (b == (byte)'\\') return Replace(s with { AfterBackslash = true });
                // A multi-byte character must be whole, so the text decodes without replacement characters.
                return b switch
                {
                    < 0x20 => null,
                    < 0x80 => this,
                    >= 0xC2 and <= 0xDF => Replace(s with { Utf8Left = 1 }),
                    >= 0xE0 and <= 0xEF => Replace(s with { Utf8Left = 2 }),
                    >= 0xF0 and <= 0xF4 => Replace(s with { Utf8Left = 3 }),
                    _ => null,
                };
            case LiteralFrame l:
            {
                var next = l.Candidates.Where(c => c.Bytes.Length > l.Position && c.Bytes[l.Position] == b).ToArray();
                if (next.Length > 0) return Literal(rest!, next, l.Position + 1);
                // No candidate goes on: a literal that is already whole ends here and the byte belongs to its parent.
                return l.Terminable ? rest!.Complete(l.Tag)?.Step(b) : null;
            }
            case NumberFrame n:
                if (n.Next(b) is { } grown) return Replace(grown);
                return n.Terminable ? rest!.Complete(-1)?.Step(b) : null;
            case ObjectFrame o: return StepObject(o, b);
            case ArrayFrame a:
                if (a.Phase == ArrayPhase.AfterOpen)
                    return b == (byte)']' && a.Schema.MinItems == 0 ? rest!.Complete(-1)
                        : a.Schema.MaxItems > 0 ? Replace(a with { Phase = ArrayPhase.InValue }).StartValue(a.Schema.ItemSchema, b) : null;
                if (a.Phase == ArrayPhase.AfterValue)
                {
                    if (b == (byte)',' && a.Count < a.Schema.MaxItems) return Replace(a with { Phase = ArrayPhase.InValue }).Push(new ValueFrame(a.Schema.ItemSchema));
                    if (b == (byte)']' && a.Count >= a.Schema.MinItems) return rest!.Complete(-1);
                }
                return null;
            default: return null;
        }
    }

    JsonDecoderState? StepObject(ObjectFrame o, byte b)
    {
        var schema = o.Schema;
        switch (o.Phase)
        {
            case ObjectPhase.AfterOpen or ObjectPhase.ExpectKey:
                if (b == (byte)'}' && o.Phase == ObjectPhase.AfterOpen && RequiredLeft(o) == 0) return rest!.Complete(-1);
                if (b != (byte)'"') return null;
                var keying = Replace(o with { Phase = ObjectPhase.InKey });
                if (schema.Properties is null) return keying.Push(new StringFrame(false, 0));
                var keys = schema.NextCandidates(o.NextProperty).Select(i => new LiteralCandidate(schema.Properties[i].KeyBytes, i)).ToArray();
                return keys.Length == 0 ? null : Literal(keying, keys.Where(k => k.Bytes[0] == b).ToArray(), 1);
            case ObjectPhase.ExpectColon:
                return b == (byte)':' ? Replace(o with { Phase = ObjectPhase.InValue }).Push(new ValueFrame(
                    schema.Properties is null ? JsonSchemaNode.Any : schema.Properties[o.Current].Schema)) : null;
            case ObjectPhase.AfterValue:
                if (b == (byte)'}' && RequiredLeft(o) == 0) return rest!.Complete(-1);
                if (b == (byte)',' && (schema.Properties is null || o.NextProperty < schema.Properties.Count))
                    return Replace(o with { Phase = ObjectPhase.ExpectKey });
                return null;
            default: return null;
        }
    }

    /// <summary>Required properties not yet written.</summary>
    static int RequiredLeft(ObjectFrame o) =>
        o.Schema.Properties is null ? 0 : o.Schema.Properties.Skip(o.NextProperty).Count(p => p.Required);

    /// <summary>This state (the parent) with a value of <paramref name="schema"/> started by <paramref name="b"/>.</summary>
    JsonDecoderState? StartValue(JsonSchemaNode schema, byte b)
    {
        if (schema.Literals is { } literals)
        {
            var matching = literals.Select(t => new LiteralCandidate(System.Text.Encoding.UTF8.GetBytes(t), -1)).Where(c => c.Bytes[0] == b).ToArray();
            return matching.Length == 0 ? null : Literal(this, matching, 1);
        }
        var k = schema.Kinds;
        switch ((char)b)
        {
            case '{' when k.HasFlag(JsonKinds.Object): return Push(new ObjectFrame(schema, ObjectPhase.AfterOpen, 0, -1));
            case '[' when k.HasFlag(JsonKinds.Array): return Push(new ArrayFrame(schema, ArrayPhase.AfterOpen, 0));
            case '"' when k.HasFlag(JsonKinds.String): return Push(new StringFrame(false, 0));
            case 't' when k.HasFlag(JsonKinds.Boolean): return Literal(this, [new("true"u8.ToArray(), -1)], 1);
            case 'f' when k.HasFlag(JsonKinds.Boolean): return Literal(this, [new("false"u8.ToArray(), -1)], 1);
            case 'n' when k.HasFlag(JsonKinds.Null): return Literal(this, [new("null"u8.ToArray(), -1)], 1);
        }
        if ((k & (JsonKinds.Number | JsonKinds.Integer)) != 0 && NumberFrame.Begin(b, integer: !k.HasFlag(JsonKinds.Number)) is { } n)
            return Push(n);
        return null;
    }

    /// <summary>A literal frame over the candidates; one that is whole and cannot grow completes at once.</summary>
    static JsonDecoderState? Literal(JsonDecoderState parent, LiteralCandidate[] candidates, int position)
    {
        if (candidates.Length == 0) return null;
        if (candidates.All(c => c.Bytes.Length == position)) return parent.Complete(candidates[0].Tag);
        return parent.Push(new LiteralFrame(candidates, position));
    }

    /// <summary>This state (the parent) once its child value (or key, with the property index <paramref name="tag"/>) is complete.</summary>
    JsonDecoderState? Complete(int tag) => top switch
    {
        null => Finished,
        ObjectFrame { Phase: ObjectPhase.InKey } o => Replace(o with
        {
            Phase = ObjectPhase.ExpectColon,
            Current = o.Schema.Properties is null ? -1 : tag,
            NextProperty = o.Schema.Properties is null ? o.NextProperty : tag + 1,
        }),
        ObjectFrame { Phase: ObjectPhase.InValue } o => Replace(o with { Phase = ObjectPhase.AfterValue }),
        ArrayFrame { Phase: ArrayPhase.InValue } a => Replace(a with { Phase = ArrayPhase.AfterValue, Count = a.Count + 1 }),
        _ => null,
    };

    /// <summary>Bytes of the shortest valid ending of the document from here (0 when it may end now).</summary>
    public int MinBytesToEnd()
    {
        int total = 0;
        for (var s = this; s.top is not null; s = s.rest!)
            total += s.top switch
            {
                ValueFrame v => v.Schema.MinLength,
                StringFrame f => f.Utf8Left + (f.HexLeft > 0 ? f.HexLeft + 1 : f.AfterBackslash ? 2 : 1),
                LiteralFrame l => l.Candidates.Min(c => c.Bytes.Length - l.Position + (c.Tag >= 0 ? s.rest!.AfterKey((ObjectFrame)s.rest.top!, c.Tag) : 0)),
                NumberFrame n => n.Terminable ? 0 : 1,
                ObjectFrame o => ObjectCost(o),
                ArrayFrame a => ArrayCost(a),
                _ => 0,
            };
        return total;
    }

    // After a schema key for property i is written: ':' + its value + the required members after it + '}'.
    int AfterKey(ObjectFrame o, int i) => 1 + o.Schema.Properties![i].Schema.MinLength + o.Schema.RequiredAfter(i) + 1;

    static int ObjectCost(ObjectFrame o)
    {
        var s = o.Schema;
        if (s.Properties is null)
            return o.Phase switch
            {
                ObjectPhase.AfterOpen or ObjectPhase.AfterValue or ObjectPhase.InValue => 1,
                ObjectPhase.ExpectKey => 2 + 1 + 1 + 1,  // "":0}
                ObjectPhase.InKey or ObjectPhase.ExpectColon => 1 + 1 + 1, // :0}
                _ => 0,
            };
        return o.Phase switch
        {
            // A schema key in progress is costed by its literal frame (which knows the candidate properties).
            ObjectPhase.InKey => 0,
            ObjectPhase.ExpectColon => 1 + s.Properties[o.Current].Schema.MinLength + s.RequiredAfter(o.Current) + 1,
            ObjectPhase.InValue or ObjectPhase.AfterValue => s.RequiredAfter(o.Current) + 1,
            ObjectPhase.AfterOpen => RequiredLeft(o) == 0 ? 1 : s.RequiredAfter(o.NextProperty - 1) - 1 + 1,
            // After a comma a member must follow: the cheapest of the candidates.
            ObjectPhase.ExpectKey => s.NextCandidates(o.NextProperty).Min(i => s.MemberLength(i) + s.RequiredAfter(i)) + 1,
            _ => 0,
        };
    }

    static int ArrayCost(ArrayFrame a)
    {
        int item = a.Schema.ItemSchema.MinLength;
        int missing = a.Phase switch
        {
            ArrayPhase.InValue => Math.Max(0, a.Schema.MinItems - (a.Count + 1)),
            _ => Math.Max(0, a.Schema.MinItems - a.Count),
        };
        if (a.Phase == ArrayPhase.AfterOpen && missing > 0) return missing * item + (missing - 1) + 1;
        return missing * (1 + item) + 1;
    }

    static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
}
