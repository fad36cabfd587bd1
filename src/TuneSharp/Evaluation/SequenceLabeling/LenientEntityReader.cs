namespace TuneSharp.Evaluation;

/// <summary>
/// seqeval's default (conlleval-compatible) chunk reading: <c>get_entities</c> with its
/// <c>end_of_chunk</c>/<c>start_of_chunk</c> rules, applied per sentence.
/// </summary>
internal static class LenientEntityReader
{
    public static List<Entity> Read(IReadOnlyList<string> tags, int sentence, bool suffix)
    {
        var entities = new List<Entity>();
        char prevTag = 'O';
        string prevType = "";
        int begin = 0;
        // A trailing "O" closes an entity that runs to the end of the sentence, as seqeval appends one.
        for (int i = 0; i <= tags.Count; i++)
        {
            var (tag, type) = i < tags.Count ? TagParts.Lenient(tags[i], suffix) : ('O', "_");
            if (EndOfChunk(prevTag, tag, prevType, type))
                entities.Add(new Entity(sentence, prevType, begin, i));
            if (StartOfChunk(prevTag, tag, prevType, type))
                begin = i;
            prevTag = tag;
            prevType = type;
        }
        return entities;
    }

    static bool EndOfChunk(char prev, char tag, string prevType, string type)
    {
        if (prev == 'E' || prev == 'S') return true;
        if ((prev == 'B' || prev == 'I') && (tag == 'B' || tag == 'S' || tag == 'O')) return true;
        // A type change ends a chunk, whatever the letters (conlleval's lenient rule).
        return prev != 'O' && prev != '.' && prevType != type;
    }

    static bool StartOfChunk(char prev, char tag, string prevType, string type)
    {
        if (tag == 'B' || tag == 'S') return true;
        if ((prev == 'E' || prev == 'S' || prev == 'O') && (tag == 'E' || tag == 'I')) return true;
        return tag != 'O' && tag != '.' && prevType != type;
    }
}
