using System.Text.Json.Nodes;
using TuneSharp.Recipes;
using TuneSharp.Training;

namespace TuneSharp.Tests.Recipes;

/// <summary>The schema is the one list of training keys: each TrainingOptions field (but the root seed) is set by exactly one key.</summary>
public class RecipeSchemaTests
{
    [Fact]
    public void Every_training_option_is_bound_by_exactly_one_schema_key()
    {
        var properties = typeof(TrainingOptions).GetProperties().Where(p => p.SetMethod is not null && p.Name != "Seed").ToList();
        var defaults = new TrainingOptions();
        var bound = new List<string>();
        foreach (var name in new[] { "training", "evaluation" })
            foreach (var (key, spec) in RecipeSchema.Root[name].Keys!)
            {
                if (spec.Bind is null) continue;
                JsonNode[] values = spec.Kind switch
                {
                    KeyKind.Int => [JsonValue.Create(7777L)],
                    KeyKind.Number => [JsonValue.Create(0.123)],
                    KeyKind.Bool => [JsonValue.Create(true), JsonValue.Create(false)],
                    _ => [JsonValue.Create("x")],
                };
                var changed = values
                    .Select(v => spec.Bind(defaults, new JsonObject { [key] = v }, key))
                    .SelectMany(o => properties.Where(p => !Equals(p.GetValue(o), p.GetValue(defaults))).Select(p => p.Name))
                    .Distinct().ToList();
                Assert.True(changed.Count == 1, $"{name}.{key} sets {string.Join(", ", changed)}");
                bound.Add(changed[0]);
            }
        Assert.Equal(properties.Select(p => p.Name).Order(), bound.Order());
    }
}
