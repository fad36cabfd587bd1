namespace TuneSharp.Evaluation.Fairness;

/// <summary>
/// Pairs of identity terms to swap for a counterfactual (Garg et al. 2019, "Counterfactual Fairness in Text
/// Classification through Robustness"): gendered pronouns, kinship and address terms. "her" maps to "his": the
/// object/possessive ambiguity cannot be resolved by a word list, and the possessive is the more frequent in prose.
/// </summary>
public static class IdentityTerms
{
    public static readonly IReadOnlyList<(string A, string B)> Gender =
    [
        ("he", "she"), ("his", "her"), ("him", "her"), ("himself", "herself"), ("man", "woman"), ("men", "women"),
        ("boy", "girl"), ("boys", "girls"), ("father", "mother"), ("fathers", "mothers"), ("son", "daughter"),
        ("sons", "daughters"), ("brother", "sister"), ("brothers", "sisters"), ("husband", "wife"), ("husbands", "wives"),
        ("uncle", "aunt"), ("nephew", "niece"), ("king", "queen"), ("prince", "princess"), ("mr", "mrs"),
        ("sir", "madam"), ("gentleman", "lady"), ("gentlemen", "ladies"), ("male", "female"), ("males", "females"),
        ("boyfriend", "girlfriend"), ("grandfather", "grandmother"), ("dad", "mom"), ("actor", "actress"),
    ];

    /// <summary>A two-way word map (lower case) from term pairs; every pair is swapped in both directions.</summary>
    public static IReadOnlyDictionary<string, string> Map(IReadOnlyList<(string A, string B)> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (a, b) in pairs)
        {
            map.TryAdd(a.ToLowerInvariant(), b.ToLowerInvariant());
            map.TryAdd(b.ToLowerInvariant(), a.ToLowerInvariant()); // the first pair wins: "her" → "his"
        }
        if (map.Count == 0) throw new UserError("the identity term list is empty: nothing to swap");
        return map;
    }

    /// <summary>
    /// A two-way first-name map (lower case keys): the i-th name of one list is swapped with the i-th of the other
    /// (cycled over the shorter). Left out: names on both lists (not gendered) and <paramref name="commonWords"/>, the
    /// words the texts also use in lower case ("may", "will", "had" are on the name lists too).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Names(IReadOnlyList<string> femaleNames, IReadOnlyList<string> maleNames, IReadOnlySet<string> commonWords)
    {
        var both = femaleNames.Select(n => n.ToLowerInvariant()).Intersect(maleNames.Select(n => n.ToLowerInvariant())).ToHashSet(StringComparer.Ordinal);
        List<string> Keep(IReadOnlyList<string> names) => names.Select(n => n.ToLowerInvariant())
            .Where(n => !both.Contains(n) && !commonWords.Contains(n)).Distinct().ToList();
        var female = Keep(femaleNames);
        var male = Keep(maleNames);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (female.Count == 0 || male.Count == 0) return map;
        for (int i = 0; i < female.Count; i++) map.TryAdd(female[i], male[i % male.Count]);
        for (int i = 0; i < male.Count; i++) map.TryAdd(male[i], female[i % female.Count]);
        return map;
    }
}
