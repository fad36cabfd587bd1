namespace TuneSharp.Generation.Constraints;

/// <summary>The frames of a decoder state's stack: one per JSON value (or key) being written, innermost on top.</summary>
public sealed partial class JsonDecoderState
{

    abstract record Frame
    {
        /// <summary>The value may be complete here (it ends when the next byte cannot continue it).</summary>
        public virtual bool Terminable => false;
        /// <summary>The property index a completed key stands for (-1 for values).</summary>
        public virtual int Tag => -1;
    }

    sealed record ValueFrame(JsonSchemaNode Schema) : Frame;

    sealed record StringFrame(bool AfterBackslash, int HexLeft, int Utf8Left = 0) : Frame;

    sealed record LiteralCandidate(byte[] Bytes, int Tag);

    sealed record LiteralFrame(LiteralCandidate[] Candidates, int Position) : Frame
    {
        LiteralCandidate? Whole => Candidates.FirstOrDefault(c => c.Bytes.Length == Position);
        public override bool Terminable => Whole is not null;
        public override int Tag => Whole?.Tag ?? -1;
    }

    enum ObjectPhase { AfterOpen, InKey, ExpectColon, InValue, AfterValue, ExpectKey }

    // NextProperty: schema objects' first property that may still be written; Current: the one being written.
    sealed record ObjectFrame(JsonSchemaNode Schema, ObjectPhase Phase, int NextProperty, int Current) : Frame;

    enum ArrayPhase { AfterOpen, InValue, AfterValue }

    sealed record ArrayFrame(JsonSchemaNode Schema, ArrayPhase Phase, int Count) : Frame;

    enum NumberPhase { Minus, Zero, Int, Dot, Frac, E, ESign, Exp }

    /// <summary>A number in progress (RFC 8259 grammar); at most 16 digits, so a model cannot write digits forever.</summary>
    sealed record NumberFrame(NumberPhase Phase, bool Integer, int Digits) : Frame
    {
        const int MaxDigits = 16;

        public override bool Terminable => Phase is NumberPhase.Zero or NumberPhase.Int or NumberPhase.Frac or NumberPhase.Exp;

        public static NumberFrame? Begin(byte b, bool integer) => b switch
        {
            (byte)'-' => new(NumberPhase.Minus, integer, 0),
            (byte)'0' => new(NumberPhase.Zero, integer, 1),
            >= (byte)'1' and <= (byte)'9' => new(NumberPhase.Int, integer, 1),
            _ => null,
        };

        public NumberFrame? Next(byte b)
        {
            bool digit = b is >= (byte)'0' and <= (byte)'9';
            if (digit && Digits >= MaxDigits) return null;
            var more = this with { Digits = Digits + (digit ? 1 : 0) };
            return Phase switch
            {
                NumberPhase.Minus when b == (byte)'0' => more with { Phase = NumberPhase.Zero },
                NumberPhase.Minus when digit => more with { Phase = NumberPhase.Int },
                NumberPhase.Int when digit => more,
                NumberPhase.Zero or NumberPhase.Int when b == (byte)'.' && !Integer => more with { Phase = NumberPhase.Dot },
                NumberPhase.Zero or NumberPhase.Int or NumberPhase.Frac when (b | 0x20) == (byte)'e' && !Integer => more with { Phase = NumberPhase.E },
                NumberPhase.Dot or NumberPhase.Frac when digit => more with { Phase = NumberPhase.Frac },
                NumberPhase.E when b is (byte)'+' or (byte)'-' => more with { Phase = NumberPhase.ESign },
                NumberPhase.E or NumberPhase.ESign or NumberPhase.Exp when digit => more with { Phase = NumberPhase.Exp },
                _ => null,
            };
        }
    }
}
