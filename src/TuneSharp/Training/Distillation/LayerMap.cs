namespace TuneSharp.Training.Distillation;

/// <summary>Which teacher layer's output each student layer's output is pulled towards by the hidden-state loss.</summary>
public static class LayerMap
{
    /// <summary>
    /// Evenly spaced, the last onto the last (TinyBERT's g(m) = m·N/M, 1-based): student layer i (0-based) →
    /// teacher layer (i + 1)·N/M − 1. 3 of 6 → 1, 3, 5; 2 of 6 → 2, 5.
    /// </summary>
    public static int[] Evenly(int studentLayers, int teacherLayers) =>
        Enumerable.Range(0, studentLayers).Select(i => (i + 1) * teacherLayers / studentLayers - 1).ToArray();

    /// <summary>Checks a given map against the two depths; <paramref name="key"/> names it in the error.</summary>
    public static int[] Check(IReadOnlyList<int> map, int studentLayers, int teacherLayers, string key)
    {
        if (map.Count != studentLayers) throw new UserError($"{key}: {map.Count} entr{(map.Count == 1 ? "y" : "ies")} for a student with {studentLayers} layer(s); give one teacher layer per student layer");
        foreach (var t in map)
            if (t < 0 || t >= teacherLayers) throw new UserError($"{key}: {t} is not a teacher layer (0..{teacherLayers - 1})");
        return [.. map];
    }
}
