namespace TuneSharp.Evaluation;

/// <summary>
/// One entity (chunk) found in a tag sequence. Two entities match only when sentence, type, start and
/// end are all equal, as in seqeval.
/// </summary>
/// <param name="Sentence">Index of the sentence in the input.</param>
/// <param name="Type">Entity type, e.g. "PER"; "_" for tags without a type (bare "B", "I").</param>
/// <param name="Start">Index of the first token, within the sentence.</param>
/// <param name="End">Index one past the last token (exclusive), within the sentence.</param>
public sealed record Entity(int Sentence, string Type, int Start, int End);

/// <summary>How entities are read from tags.</summary>
public enum NerMode
{
    /// <summary>
    /// seqeval's default, compatible with conlleval.pl: lenient, e.g. an "I-X" after "O" starts an
    /// entity and a type change ends one. Accepts IOB1/IOB2/IOE1/IOE2/IOBES tags alike.
    /// </summary>
    Default,
    /// <summary>
    /// seqeval's <c>mode='strict'</c>: only entities well-formed under the chosen <see cref="TaggingScheme"/>
    /// count (with IOB2, an entity must open with "B-").
    /// </summary>
    Strict,
}

/// <summary>Tagging schemes for strict mode (seqeval.scheme).</summary>
public enum TaggingScheme
{
    /// <summary>IOB1: "B-" only separates two adjacent entities of the same type.</summary>
    IOB1,
    /// <summary>IOB2 (BIO): every entity opens with "B-", continues with "I-".</summary>
    IOB2,
    /// <summary>IOE2: every entity closes with "E-", earlier tokens are "I-".</summary>
    IOE2,
    /// <summary>IOBES (BILOU with other letters): "S-" single-token, otherwise "B-" "I-"… "E-".</summary>
    IOBES,
}
