using System.Text.Json.Nodes;
using TuneSharp.Data.Shapes;

namespace TuneSharp.Data.Validation;

/// <summary>Checks one record against its shape; returns what later checks need, or null when it is malformed.</summary>
internal sealed class RecordValidator(ValidationOptions options)
{
    /// <summary>The chat roles of the OpenAI fine-tuning format.</summary>
    public static readonly IReadOnlySet<string> ChatRoles = new HashSet<string>(["system", "user", "assistant", "tool"], StringComparer.Ordinal);

    readonly HashSet<string>? labelNames = options.Labels is { } l ? new HashSet<string>(l, StringComparer.Ordinal) : null;
    FieldNames F => options.Fields;

    public CheckedExample? Check(DataRecord record, RecordShape shape, List<DataProblem> problems)
    {
        var access = new FieldAccess(record, problems);
        return shape switch
        {
            RecordShape.Classification => Classification(access),
            RecordShape.Tagging => Tagging(access),
            RecordShape.PromptCompletion => PromptCompletion(access),
            RecordShape.Instruction => Instruction(access),
            RecordShape.Chat => Chat(access),
            RecordShape.Text => access.RequiredString(F.Text) is { } t ? new CheckedExample(t, t, null, []) : null,
            _ => null,
        };
    }

    CheckedExample? Classification(FieldAccess a)
    {
        var text = a.RequiredString(F.Text);
        List<string>? labels = null;
        if (!a.Record.Fields.TryGetPropertyValue(F.Label, out var node))
            a.Report(F.Label, ProblemCodes.MissingField, "required field is missing");
        else
            labels = LabelChecker.Check(a, F.Label, node, options.Labels, labelNames);
        if (text is null || labels is null) return null;
        return new CheckedExample(text, text, string.Join("|", labels.Order(StringComparer.Ordinal)), labels);
    }

    CheckedExample? Tagging(FieldAccess a)
    {
        var tokens = a.RequiredStringArray(F.Tokens);
        var tags = a.RequiredStringArray(F.Tags);
        if (tokens is null || tags is null) return null;
        bool ok = true;
        if (tokens.Count != tags.Count)
        {
            a.Report(F.Tags, ProblemCodes.LengthMismatch, $"{tags.Count} tags for {tokens.Count} tokens");
            ok = false;
        }
        bool bio = options.Task?.Bio ?? BioChecker.LooksLikeBio(tags);
        if (bio)
            foreach (var (index, message) in BioChecker.Check(tags))
            {
                a.Report($"{F.Tags}[{index}]", ProblemCodes.InvalidBio, message);
                ok = false;
            }
        if (!ok) return null;
        // The distribution counts entity types for BIO (B- starts) and every tag otherwise.
        var labels = bio ? tags.Where(t => t.StartsWith("B-", StringComparison.Ordinal)).Select(t => t[2..]).ToList() : tags;
        var joined = string.Join(' ', tokens);
        return new CheckedExample(joined, joined, string.Join(' ', tags), labels);
    }

    CheckedExample? PromptCompletion(FieldAccess a)
    {
        var prompt = a.RequiredString(F.Prompt);
        var completion = a.RequiredString(F.Completion);
        if (prompt is null || completion is null) return null;
        return new CheckedExample(prompt + "\n" + completion, prompt + "\u0001" + completion, null, []);
    }

    CheckedExample? Instruction(FieldAccess a)
    {
        var instruction = a.RequiredString(F.Instruction);
        // Alpaca's input is optional and often "": only its type is checked.
        var input = a.String(a.Record.Fields, F.Input, F.Input, required: false, allowEmpty: true) ?? "";
        bool inputOk = !a.Record.Fields.TryGetPropertyValue(F.Input, out var inputNode) || inputNode is null || inputNode.GetValueKind() == System.Text.Json.JsonValueKind.String;
        var output = a.RequiredString(F.Output);
        if (instruction is null || output is null || !inputOk) return null;
        var text = input.Length == 0 ? instruction + "\n" + output : instruction + "\n" + input + "\n" + output;
        return new CheckedExample(text, instruction + "\u0001" + input + "\u0001" + output, null, []);
    }

    CheckedExample? Chat(FieldAccess a)
    {
        if (!a.Record.Fields.TryGetPropertyValue(F.Messages, out var node) || node is null)
        {
            a.Report(F.Messages, ProblemCodes.MissingField, "required field is missing");
            return null;
        }
        if (node is not JsonArray messages)
        {
            a.Report(F.Messages, ProblemCodes.WrongType, $"expected an array of messages, found {FieldAccess.Kind(node)}");
            return null;
        }
        if (messages.Count == 0)
        {
            a.Report(F.Messages, ProblemCodes.EmptyField, "no messages");
            return null;
        }
        bool ok = true, hasAssistant = false;
        var text = new System.Text.StringBuilder();
        var content = new System.Text.StringBuilder();
        for (int i = 0; i < messages.Count; i++)
        {
            var path = $"{F.Messages}[{i}]";
            if (messages[i] is not JsonObject message)
            {
                a.Report(path, ProblemCodes.WrongType, $"expected a message object, found {FieldAccess.Kind(messages[i])}");
                ok = false;
                continue;
            }
            var role = a.String(message, "role", path + ".role", required: true, allowEmpty: false);
            if (role is null) { ok = false; continue; }
            if (!ChatRoles.Contains(role))
            {
                a.Report(path + ".role", ProblemCodes.UnknownRole, $"unknown role '{role}' (expected system, user, assistant or tool)");
                ok = false;
                continue;
            }
            if (role == "assistant") hasAssistant = true;
            var body = MessageContent(a, message, path, role);
            if (body is null) { ok = false; continue; }
            text.Append(body).Append('\n');
            content.Append(role).Append('\u0001').Append(body).Append('\u0002');
        }
        if (!hasAssistant && ok)
        {
            a.Report(F.Messages, ProblemCodes.NoAssistantTurn, "no assistant message: nothing to learn from this chat");
            ok = false;
        }
        return ok ? new CheckedExample(text.ToString(), content.ToString(), null, []) : null;
    }

    // Content is a string, or an array of {type:"text", text} parts; an assistant turn that only calls tools may have none.
    static string? MessageContent(FieldAccess a, JsonObject message, string path, string role)
    {
        message.TryGetPropertyValue("content", out var node);
        if (node is null && role == "assistant" && message.ContainsKey("tool_calls")) return "";
        if (node is JsonArray parts)
        {
            var sb = new System.Text.StringBuilder();
            for (int i = 0; i < parts.Count; i++)
            {
                if (parts[i] is JsonObject part && a.String(part, "text", $"{path}.content[{i}].text", required: true, allowEmpty: false) is { } t)
                    sb.Append(t);
                else if (parts[i] is not JsonObject)
                {
                    a.Report($"{path}.content[{i}]", ProblemCodes.WrongType, $"expected a content part object, found {FieldAccess.Kind(parts[i])}");
                    return null;
                }
                else return null;
            }
            return sb.ToString();
        }
        return a.String(message, "content", path + ".content", required: true, allowEmpty: false);
    }
}
