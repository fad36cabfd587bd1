namespace TuneSharp.Data.Shapes;

/// <summary>
/// The field names a dataset uses for each role, so that <c>{review, stars}</c> can be read as <c>{text, label}</c>.
/// Parse from "role=name" pairs, e.g. <c>text=review</c> or <c>text_field=review</c>.
/// </summary>
public sealed record FieldMap
{
    /// <summary>The standard names (text, label, tokens, tags, prompt, completion, instruction, input, output, messages).</summary>
    public static FieldMap Default { get; } = new();

    /// <summary>Field holding the text (classification, raw text).</summary>
    public string Text { get; init; } = "text";
    /// <summary>Field holding the label(s).</summary>
    public string Label { get; init; } = "label";
    /// <summary>Field holding the token list.</summary>
    public string Tokens { get; init; } = "tokens";
    /// <summary>Field holding the tag list.</summary>
    public string Tags { get; init; } = "tags";
    /// <summary>Field holding the prompt.</summary>
    public string Prompt { get; init; } = "prompt";
    /// <summary>Field holding the completion.</summary>
    public string Completion { get; init; } = "completion";
    /// <summary>Field holding the Alpaca instruction.</summary>
    public string Instruction { get; init; } = "instruction";
    /// <summary>Field holding the Alpaca input (optional).</summary>
    public string Input { get; init; } = "input";
    /// <summary>Field holding the Alpaca output.</summary>
    public string Output { get; init; } = "output";
    /// <summary>Field holding the chat messages.</summary>
    public string Messages { get; init; } = "messages";

    /// <summary>
    /// Applies "role=name" pairs (also "role_field=name"; several may be comma-separated) to the defaults.
    /// Unknown roles are a <see cref="UserError"/>.
    /// </summary>
    public static FieldMap Parse(IEnumerable<string> pairs)
    {
        var map = Default;
        foreach (var pair in pairs.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) throw new UserError($"field mapping '{pair}': expected role=name, e.g. text=review");
            var role = pair[..eq].Trim().ToLowerInvariant();
            if (role.EndsWith("_field", StringComparison.Ordinal)) role = role[..^"_field".Length];
            var name = pair[(eq + 1)..].Trim();
            map = role switch
            {
                "text" => map with { Text = name },
                "label" => map with { Label = name },
                "tokens" => map with { Tokens = name },
                "tags" => map with { Tags = name },
                "prompt" => map with { Prompt = name },
                "completion" => map with { Completion = name },
                "instruction" => map with { Instruction = name },
                "input" => map with { Input = name },
                "output" => map with { Output = name },
                "messages" => map with { Messages = name },
                _ => throw new UserError($"field mapping '{pair}': unknown role '{role}' (text, label, tokens, tags, prompt, completion, instruction, input, output, messages)"),
            };
        }
        return map;
    }
}
