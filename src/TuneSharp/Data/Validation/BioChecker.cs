namespace TuneSharp.Data.Validation;

/// <summary>
/// Checks BIO tag sequences: every tag is <c>O</c>, <c>B-TYPE</c> or <c>I-TYPE</c>, and an <c>I-TYPE</c> follows
/// a <c>B-TYPE</c> or <c>I-TYPE</c> of the same type.
/// </summary>
public static class BioChecker
{
    /// <summary>True when the tags look like BIO (some tag is O or has a B-/I- prefix), for auto mode.</summary>
    public static bool LooksLikeBio(IReadOnlyList<string> tags) =>
        tags.Any(t => t == "O" || t.StartsWith("B-", StringComparison.Ordinal) || t.StartsWith("I-", StringComparison.Ordinal));

    /// <summary>The problems of <paramref name="tags"/> as (index, message) pairs; empty when valid.</summary>
    public static IEnumerable<(int Index, string Message)> Check(IReadOnlyList<string> tags)
    {
        string? previousType = null;
        for (int i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (tag == "O") { previousType = null; continue; }
            if (tag.Length > 2 && tag[1] == '-' && (tag[0] == 'B' || tag[0] == 'I'))
            {
                var type = tag[2..];
                if (tag[0] == 'I' && previousType != type)
                    yield return (i, previousType is null
                        ? $"'{tag}' does not continue an entity (no B-{type} before it)"
                        : $"'{tag}' follows an entity of type {previousType}, not {type}");
                previousType = type;
                continue;
            }
            yield return (i, $"'{tag}' is not O, B-TYPE or I-TYPE");
            previousType = null;
        }
    }
}
