using System.Text.Json.Nodes;
using TuneSharp.Templates;

namespace TuneSharp.Tests.Templates;

/// <summary>The public API: message forms, caller variables, HF's implicit variables and globals.</summary>
public class ChatTemplateApiTests
{
    [Fact]
    public void Json_messages_keep_arbitrary_fields_such_as_tool_calls()
    {
        var tpl = new ChatTemplate(
            "{% for m in messages %}{{ m.role }}:{% if m.tool_calls %}{% for c in m.tool_calls %}{{ c.function.name }}({{ c.function.arguments | tojson }}){% endfor %}{% else %}{{ m.content }}{% endif %};{% endfor %}");
        var messages = JsonNode.Parse("""
            [{"role": "user", "content": "weather?"},
             {"role": "assistant", "content": null, "tool_calls": [{"type": "function", "function": {"name": "get", "arguments": {"city": "Zürich", "days": 2, "hourly": false}}}]}]
            """)!;
        Assert.Equal("user:weather?;assistant:get({\"city\": \"Zürich\", \"days\": 2, \"hourly\": false});", tpl.Render(messages, addGenerationPrompt: false));
    }

    [Fact]
    public void Chat_message_optional_fields_are_present_only_when_set()
    {
        var tpl = new ChatTemplate("{% for m in messages %}{{ m.role }} {{ m.content }} {{ m.tool_call_id is defined }} {{ m.name | default('-') }} {{ m.reasoning_content is defined }}|{% endfor %}");
        var messages = new[]
        {
            new ChatMessage("assistant", null) { ReasoningContent = "think" },
            new ChatMessage("tool", "42") { ToolCallId = "abc123def", Name = "calc" },
        };
        Assert.Equal("assistant None False - True|tool 42 True calc False|", tpl.Render(messages, addGenerationPrompt: false));
    }

    [Fact]
    public void Tools_and_documents_are_defined_as_none_unless_given()
    {
        var tpl = new ChatTemplate("{{ tools is defined }} {{ tools is none }} {{ documents is none }} {{ add_generation_prompt }}");
        Assert.Equal("True True True True", tpl.Render(new JsonArray(), addGenerationPrompt: true));
        var tools = JsonNode.Parse("""[{"type": "function", "function": {"name": "f"}}]""");
        Assert.Equal("True False True False", tpl.Render(new JsonArray(), addGenerationPrompt: false, new Dictionary<string, object?> { ["tools"] = tools }));
    }

    [Fact]
    public void Clr_variables_convert_to_python_values()
    {
        var tpl = new ChatTemplate("{{ s }} {{ i + 1 }} {{ f }} {{ b }} {{ n }} {{ l }} {{ d }} {{ j }}");
        var vars = new Dictionary<string, object?>
        {
            ["s"] = "str", ["i"] = 41, ["f"] = 0.5, ["b"] = true, ["n"] = null,
            ["l"] = new List<object?> { 1, "a" }, ["d"] = new Dictionary<string, object?> { ["k"] = 2L },
            ["j"] = JsonNode.Parse("""{"x": 1.0, "y": [1, 2]}"""),
        };
        Assert.Equal("str 42 0.5 True None [1, 'a'] {'k': 2} {'x': 1.0, 'y': [1, 2]}", tpl.Render(new JsonArray(), false, vars));
    }

    [Fact]
    public void Strftime_now_formats_the_templates_clock_like_python()
    {
        var tpl = new ChatTemplate("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M:%S %A %B %j') }}") { Clock = () => new DateTime(2024, 7, 6, 9, 5, 3) };
        Assert.Equal("06 Jul 2024|2024-07-06 09:05:03 Saturday July 188", tpl.Render(new JsonArray(), false));
    }

    [Fact]
    public void Llama_template_uses_strftime_now_when_no_date_string_is_given()
    {
        var tpl = ChatTemplate.FromFile(Path.Combine(Fixtures.ChatTemplates, "meta-llama-Llama-3.2-3B-Instruct.jinja"));
        var dated = new ChatTemplate(tpl.Source) { Clock = () => new DateTime(2025, 1, 2) };
        var text = dated.Render([new ChatMessage("user", "Hi")], addGenerationPrompt: true, new Dictionary<string, object?> { ["bos_token"] = "<|begin_of_text|>" });
        Assert.Contains("Today Date: 02 Jan 2025\n", text);
    }

    [Fact]
    public void Messages_must_be_a_json_array()
    {
        var ex = Assert.Throws<UserError>(() => new ChatTemplate("x").Render(new JsonObject(), false));
        Assert.Equal("chat template: messages must be a JSON array of message objects", ex.Message);
    }

    [Fact]
    public void A_parsed_template_renders_many_conversations()
    {
        var tpl = new ChatTemplate("{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}");
        for (int i = 0; i < 3; i++)
            Assert.Equal($"[user]{i}", tpl.Render([new ChatMessage("user", i.ToString())], false));
    }
}
