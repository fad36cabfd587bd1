namespace TuneSharp.Tokenization.Training;

/// <summary>The growing token list of a training run: ids in order of addition.</summary>
internal sealed class Vocabulary
{
    readonly Dictionary<string, int> ids = new(StringComparer.Ordinal);
    readonly List<string> tokens = new();

    public IReadOnlyList<string> Tokens => tokens;

    public int Count => tokens.Count;

    /// <summary>The token's id, adding it if new.</summary>
    public int GetOrAdd(string token)
    {
        if (ids.TryGetValue(token, out var id)) return id;
        ids[token] = tokens.Count;
        tokens.Add(token);
        return tokens.Count - 1;
    }

    /// <summary>Adds the token; false when it was already there.</summary>
    public bool TryAdd(string token)
    {
        if (ids.ContainsKey(token)) return false;
        GetOrAdd(token);
        return true;
    }

    public int this[string token] => ids[token];
}
