using TuneSharp.Text;

namespace TuneSharp.Data;

/// <summary>
/// The JSON field names a record uses for each role, so that <c>{review, stars}</c> can be read as <c>{text, label}</c>.
/// Defaults follow common dataset layouts (IMDB/SST "text"/"label", CoNLL "tokens"/"tags", Alpaca
/// "instruction"/"input"/"output", ChatML "messages"). Tasks, data validation, predict and recipes all map roles here.
/// </summary>
public sealed record FieldNames
{
    /// <summary>The standard names.</summary>
    public static FieldNames Default { get; } = new();

    /// <summary>The roles a mapping may name (recipe <c>data.fields</c> keys, <c>--field role=name</c>).</summary>
    public static IReadOnlyList<string> Roles { get; } =
        ["text", "text_pair", "label", "tokens", "tags", "prompt", "completion", "instruction", "input", "output", "messages", "source", "target"];

    /// <summary>Input text (classification, continued pretraining).</summary>
    public string Text { get; init; } = "text";
    /// <summary>Optional second text for pair classification (NLI, paraphrase); null = single texts.</summary>
    public string? TextPair { get; init; }
    /// <summary>Class label: a name or an index; for multi-label, a list of them.</summary>
    public string Label { get; init; } = "label";
    /// <summary>Words of a token-classification example.</summary>
    public string Tokens { get; init; } = "tokens";
    /// <summary>One tag per word (BIO/IOB2 for NER, or POS tags).</summary>
    public string Tags { get; init; } = "tags";
    /// <summary>Prompt of a prompt/completion record.</summary>
    public string Prompt { get; init; } = "prompt";
    /// <summary>Completion of a prompt/completion record.</summary>
    public string Completion { get; init; } = "completion";
    /// <summary>Alpaca instruction.</summary>
    public string Instruction { get; init; } = "instruction";
    /// <summary>Alpaca optional input.</summary>
    public string Input { get; init; } = "input";
    /// <summary>Alpaca output (the trained part).</summary>
    public string Output { get; init; } = "output";
    /// <summary>Chat conversation: a list of {role, content}.</summary>
    public string Messages { get; init; } = "messages";
    /// <summary>Seq2seq source text.</summary>
    public string Source { get; init; } = "source";
    /// <summary>Seq2seq target text.</summary>
    public string Target { get; init; } = "target";

    /// <summary>These names with <paramref name="role"/> (one of <see cref="Roles"/>) read from <paramref name="name"/>; null for an unknown role.</summary>
    public FieldNames? With(string role, string name) => role switch
    {
        "text" => this with { Text = name },
        "text_pair" => this with { TextPair = name },
        "label" => this with { Label = name },
        "tokens" => this with { Tokens = name },
        "tags" => this with { Tags = name },
        "prompt" => this with { Prompt = name },
        "completion" => this with { Completion = name },
        "instruction" => this with { Instruction = name },
        "input" => this with { Input = name },
        "output" => this with { Output = name },
        "messages" => this with { Messages = name },
        "source" => this with { Source = name },
        "target" => this with { Target = name },
        _ => null,
    };

    /// <summary>
    /// These names with "role=name" pairs applied (also "role_field=name"; several may be comma-separated).
    /// A malformed pair or an unknown role is a <see cref="UserError"/> that starts with <paramref name="what"/> (e.g. "--field").
    /// </summary>
    public FieldNames Apply(IEnumerable<string> pairs, string what)
    {
        var fields = this;
        foreach (var pair in pairs.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == pair.Length - 1) throw new UserError($"{what} '{pair}': expected role=name, e.g. text=review");
            var role = pair[..eq].Trim().ToLowerInvariant();
            if (role.EndsWith("_field", StringComparison.Ordinal)) role = role[..^"_field".Length];
            fields = fields.With(role, pair[(eq + 1)..].Trim())
                ?? throw new UserError($"{what} '{pair}': unknown role '{role}'" + (ClosestName.Find(role, Roles) is { } c
                    ? $" (did you mean '{c}'?)" : $" (roles: {string.Join(", ", Roles)})"));
        }
        return fields;
    }

    /// <summary>The default names with "role=name" pairs applied (see <see cref="Apply"/>).</summary>
    public static FieldNames Parse(IEnumerable<string> pairs, string what = "field mapping") => Default.Apply(pairs, what);
}
