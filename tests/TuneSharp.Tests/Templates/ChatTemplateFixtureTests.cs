using System.Text.Json.Nodes;
using TuneSharp.Templates;

namespace TuneSharp.Tests.Templates;

/// <summary>
/// Renders the eleven real chat templates over the six conversations of <c>render_references.py</c> and
/// compares with what transformers' <c>apply_chat_template</c> produced (or the error it raised).
/// </summary>
public class ChatTemplateFixtureTests
{
    static readonly Dictionary<string, ChatTemplate> Templates = [];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Fixtures.ChatTemplates, "*.expected.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file)[..^".expected.json".Length];
            foreach (var c in JsonNode.Parse(File.ReadAllText(file))!["cases"]!.AsArray())
                data.Add(name, (string)c!["id"]!);
        }
        return data;
    }

    [Fact]
    public void All_eleven_templates_with_six_cases_each_are_present()
    {
        Assert.Equal(66, Cases().Count());
        Assert.Equal(11, Directory.GetFiles(Fixtures.ChatTemplates, "*.jinja").Length);
    }

    static ChatTemplate Load(string name)
    {
        lock (Templates)
        {
            if (!Templates.TryGetValue(name, out var t))
                Templates[name] = t = ChatTemplate.FromFile(Path.Combine(Fixtures.ChatTemplates, name + ".jinja"));
            return t;
        }
    }

    /// <summary>The variables render_references.py passes: special tokens that are set, plus the case's kwargs.</summary>
    static Dictionary<string, object?> Variables(JsonNode c)
    {
        var vars = new Dictionary<string, object?>();
        foreach (var token in new[] { "bos_token", "eos_token" })
            if (c[token] is JsonNode value) vars[token] = (string)value!;
        foreach (var kv in c["kwargs"]!.AsObject()) vars[kv.Key] = kv.Value?.DeepClone();
        return vars;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_exactly_as_transformers(string template, string caseId)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.ChatTemplates, template + ".expected.json")))!;
        var c = doc["cases"]!.AsArray().Single(x => (string)x!["id"]! == caseId)!;
        var tpl = Load(template);
        var messages = c["messages"]!.DeepClone();
        bool gen = (bool)c["add_generation_prompt"]!;

        if (c["error"] is JsonNode error)
        {
            var ex = Assert.Throws<UserError>(() => tpl.Render(messages, gen, Variables(c)));
            const string prefix = "TemplateError: ";
            var expected = (string)error!;
            Assert.StartsWith(prefix, expected);
            Assert.Equal(expected[prefix.Length..], ex.Message);
        }
        else
        {
            Assert.Equal((string)c["rendered"]!, tpl.Render(messages, gen, Variables(c)));
        }
    }

    [Fact]
    public void Hf_tiny_chatml_template_renders_meta_chat_text()
    {
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "hf-tiny", "meta.json")))!["tokenizer"]!;
        var tpl = ChatTemplate.FromFile(Path.Combine(Fixtures.HfTiny("tiny-llama"), "chat_template.jinja"));
        var rendered = tpl.Render(meta["chat_messages"]!.DeepClone(), addGenerationPrompt: true);
        Assert.Equal((string)meta["chat_text"]!, rendered);
    }

    [Fact]
    public void Chat_message_records_render_like_json_messages()
    {
        var tpl = Load("Qwen-Qwen2.5-7B-Instruct");
        var rendered = tpl.Render([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi")], addGenerationPrompt: true);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", rendered);
    }
}
