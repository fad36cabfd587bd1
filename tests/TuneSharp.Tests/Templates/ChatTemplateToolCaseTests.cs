using System.Text.Json.Nodes;
using TuneSharp.Templates;

namespace TuneSharp.Tests.Templates;

/// <summary>
/// The eleven fixture templates over tool-calling, reasoning and malformed conversations, against
/// <c>Data/jinja2-tool-cases.json</c>: what jinja2 renders in transformers' configuration
/// (made by <c>Data/render_tool_cases.py</c>). Covers the tool paths the HF references do not reach:
/// tojson of tools, tool_calls, tool results, builtin_tools, Qwen3 think blocks, and jinja2's own errors.
/// </summary>
public class ChatTemplateToolCaseTests
{
    static readonly Lazy<JsonArray> Data = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.RepoRoot, "tests", "TuneSharp.Tests", "Templates", "Data", "jinja2-tool-cases.json")))!["cases"]!.AsArray());

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Data.Value) data.Add((string)c!["template"]!, (string)c["id"]!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_as_jinja2_does(string template, string caseId)
    {
        var c = Data.Value.Single(x => (string)x!["template"]! == template && (string)x["id"]! == caseId)!;
        var tpl = ChatTemplate.FromFile(Path.Combine(Fixtures.ChatTemplates, template + ".jinja"));
        var variables = c["variables"]!.AsObject().ToDictionary(kv => kv.Key, kv => (object?)kv.Value?.DeepClone());
        var messages = c["messages"]!.DeepClone();
        bool gen = (bool)c["add_generation_prompt"]!;

        if (c["error"] is JsonNode error)
        {
            var ex = Assert.Throws<UserError>(() => tpl.Render(messages, gen, variables));
            var expected = (string)error!;
            int colon = expected.IndexOf(": ", StringComparison.Ordinal);
            string kind = expected[..colon], message = expected[(colon + 2)..];
            if (kind == "TemplateError") Assert.Equal(message, ex.Message); // raise_exception: the message as is
            else Assert.EndsWith(": " + message, ex.Message); // jinja2's error, after our "chat template, line N"
        }
        else
        {
            Assert.Equal((string)c["rendered"]!, tpl.Render(messages, gen, variables));
        }
    }
}
