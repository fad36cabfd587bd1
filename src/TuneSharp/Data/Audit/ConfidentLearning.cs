namespace TuneSharp.Data.Audit;

/// <summary>
/// Confident learning (Northcutt, Jiang and Chuang, 2021) on out-of-fold probabilities. Per-class thresholds
/// t_j are the mean predicted probability of class j over the examples labelled j. An example counts towards
/// the confident joint C[given][k*] where k* is the most probable class among those with p_k ≥ t_k; it is a
/// label issue when k* differs from its given label (an off-diagonal entry). Issues are ranked by
/// self-confidence, the probability of the given label, lowest first.
/// </summary>
public static class ConfidentLearning
{
    /// <summary>
    /// Slack on p ≥ t (as in cleanlab): a threshold is a mean of the same probabilities, so an example at exactly
    /// the mean must not fall out through rounding.
    /// </summary>
    const double Tolerance = 1e-6;

    /// <summary>The thresholds, the confident joint, and the ranked issues.</summary>
    public static ConfidentLearningResult Find(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> labels, int classCount)
    {
        var sum = new double[classCount];
        var count = new int[classCount];
        for (int i = 0; i < labels.Count; i++) { sum[labels[i]] += probabilities[i][labels[i]]; count[labels[i]]++; }
        // A class nobody is labelled with has no threshold: no example can be confidently in it.
        var thresholds = Enumerable.Range(0, classCount).Select(j => count[j] > 0 ? sum[j] / count[j] : double.PositiveInfinity).ToArray();

        var joint = new long[classCount][];
        for (int j = 0; j < classCount; j++) joint[j] = new long[classCount];
        var issues = new List<(int Index, int Suggested)>();
        for (int i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            int best = -1;
            for (int k = 0; k < classCount; k++)
                if (p[k] >= thresholds[k] - Tolerance && (best < 0 || p[k] > p[best])) best = k;
            if (best < 0) continue;
            joint[labels[i]][best]++;
            if (best != labels[i]) issues.Add((i, best));
        }
        var ranked = issues
            .OrderBy(x => probabilities[x.Index][labels[x.Index]])
            .ThenBy(x => x.Index)
            .Select(x => new ConfidentLearningIssue(x.Index, labels[x.Index], x.Suggested, probabilities[x.Index][labels[x.Index]], probabilities[x.Index][x.Suggested]))
            .ToList();
        return new ConfidentLearningResult(thresholds, joint, ranked);
    }
}

/// <summary>An example whose given label disagrees with the confident joint.</summary>
public sealed record ConfidentLearningIssue(int Index, int GivenLabel, int SuggestedLabel, double SelfConfidence, double SuggestedProbability);

/// <summary>Per-class thresholds, the confident joint C[given][confident] and the ranked issues.</summary>
public sealed record ConfidentLearningResult(double[] Thresholds, long[][] ConfidentJoint, IReadOnlyList<ConfidentLearningIssue> Issues);
