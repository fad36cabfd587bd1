using TuneSharp.Text;
using TuneSharp.Recipes;

namespace TuneSharp.Tuning;

/// <summary>Looks up a dotted recipe key ("method.lora.r") in <see cref="RecipeSchema"/>.</summary>
public static class RecipeKeys
{
    /// <summary>The key's spec when it names a value (not a section); otherwise a UserError naming the key and <paramref name="where"/>.</summary>
    public static KeySpec Value(string path, string where)
    {
        var schema = RecipeSchema.Root;
        var parts = path.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            if (!schema.TryGetValue(parts[i], out var spec))
            {
                var closest = ClosestName.Find(parts[i], schema.Keys);
                var parent = string.Join('.', parts.Take(i));
                throw new UserError($"{where}: '{path}' is not a recipe key" + (closest is null
                    ? $" (valid keys{(parent.Length > 0 ? " under '" + parent + "'" : "")}: {string.Join(", ", schema.Keys)})"
                    : $" (did you mean '{(parent.Length > 0 ? parent + "." : "")}{closest}'?)"));
            }
            if (i == parts.Length - 1)
            {
                if (spec.Kind == KeyKind.Section) throw new UserError($"{where}: '{path}' is a section of the recipe, not a value");
                return spec;
            }
            if (spec.Kind != KeyKind.Section) throw new UserError($"{where}: '{path}': '{string.Join('.', parts.Take(i + 1))}' is a value, not a section");
            schema = spec.Keys!;
        }
        throw new UserError($"{where}: empty recipe key");
    }
}
