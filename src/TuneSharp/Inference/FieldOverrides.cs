using TuneSharp.Recipes;
using TuneSharp.Tasks;

namespace TuneSharp.Inference;

/// <summary>Applies <c>role=name</c> field mappings (e.g. <c>text=body</c>) to <see cref="FieldNames"/>, as a recipe's data.fields does.</summary>
public static class FieldOverrides
{
    /// <summary>The roles a mapping may name.</summary>
    public static readonly string[] Roles = ["text", "text_pair", "label", "tokens", "tags", "prompt", "completion", "instruction", "input", "output", "messages", "source", "target"];

    /// <summary><paramref name="fields"/> with every "role=name" of <paramref name="mappings"/> applied; a bad mapping is a <see cref="UserError"/>.</summary>
    public static FieldNames Apply(FieldNames fields, IEnumerable<string> mappings)
    {
        foreach (var m in mappings)
        {
            int eq = m.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == m.Length - 1) throw new UserError($"--field '{m}': expected ROLE=NAME, e.g. text=body");
            var (role, name) = (m[..eq].Trim(), m[(eq + 1)..].Trim());
            fields = role switch
            {
                "text" => fields with { Text = name },
                "text_pair" => fields with { TextPair = name },
                "label" => fields with { Label = name },
                "tokens" => fields with { Tokens = name },
                "tags" => fields with { Tags = name },
                "prompt" => fields with { Prompt = name },
                "completion" => fields with { Completion = name },
                "instruction" => fields with { Instruction = name },
                "input" => fields with { Input = name },
                "output" => fields with { Output = name },
                "messages" => fields with { Messages = name },
                "source" => fields with { Source = name },
                "target" => fields with { Target = name },
                _ => throw new UserError($"--field '{m}': unknown role '{role}'" + (ClosestName.Find(role, Roles) is { } c
                    ? $" (did you mean '{c}'?)" : $" (roles: {string.Join(", ", Roles)})")),
            };
        }
        return fields;
    }
}
