using System.Text.Json.Nodes;

namespace TuneSharp.Tuning.Samplers;

/// <summary>
/// Every combination of the parameters' grid values, in a fixed order; trial n runs point n. Because storage never
/// hands out a trial number twice, no two workers ever run the same point. A conditional parameter only multiplies
/// the points where its condition holds.
/// </summary>
public sealed class GridSampler : ISampler
{
    public JsonObject Sample(SearchSpace space, IReadOnlyList<TrialRecord> history, int number, Func<string, JsonNode?> lookup)
    {
        var points = Points(space, lookup);
        if (number >= points.Count) throw new InvalidOperationException($"grid has {points.Count} points; trial {number} is past its end");
        return (JsonObject)points[number].DeepClone();
    }

    public int? MaxTrials(SearchSpace space, Func<string, JsonNode?> lookup) => Points(space, lookup).Count;

    /// <summary>All grid points, expanding the parameters in declaration order.</summary>
    public static List<JsonObject> Points(SearchSpace space, Func<string, JsonNode?> lookup)
    {
        var points = new List<JsonObject> { new() };
        foreach (var p in space.Params)
        {
            var next = new List<JsonObject>();
            foreach (var point in points)
            {
                if (!SearchSpace.IsActive(p, point, lookup)) { next.Add(point); continue; }
                foreach (var v in p.GridValues())
                {
                    var copy = (JsonObject)point.DeepClone();
                    copy[p.Key] = v.DeepClone();
                    next.Add(copy);
                }
            }
            points = next;
        }
        return points;
    }
}
