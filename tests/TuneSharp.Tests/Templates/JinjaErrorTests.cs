using System.Text.Json.Nodes;
using TuneSharp.Templates;

namespace TuneSharp.Tests.Templates;

/// <summary>
/// Errors: syntax errors name the line; evaluation errors raise where jinja2 raises (undefined misuse,
/// type errors, the sandbox's refusal to mutate); raise_exception carries the template's own message.
/// </summary>
public class JinjaErrorTests
{
    static string Render(string source, Dictionary<string, object?>? vars = null) =>
        new ChatTemplate(source).Render(new JsonArray(), addGenerationPrompt: false, vars);

    [Theory]
    [InlineData("line one\n{% if true %}\nx\n{% endfor %}", "chat template, line 4: ")]
    [InlineData("{{ 1 +  }}", "chat template, line 1: ")]
    [InlineData("a\nb\n{% for x in y %}\nno end", "chat template, line 4: unexpected end of template; expected 'endfor' or 'else'")]
    [InlineData("\n\n{{ 'unterminated }}", "chat template, line 3: unterminated string literal")]
    [InlineData("{% frobnicate %}", "chat template, line 1: unknown or unexpected tag 'frobnicate'")]
    [InlineData("{% break %}", "chat template, line 1: 'break' outside of a for loop")]
    [InlineData("{# never closed", "chat template, line 1: missing end of comment tag '#}'")]
    public void Syntax_errors_are_user_errors_with_the_line(string source, string messageStart)
    {
        var ex = Assert.Throws<UserError>(() => new ChatTemplate(source));
        Assert.StartsWith(messageStart, ex.Message);
    }

    [Theory]
    [InlineData("{{ x.y }}", "chat template, line 1: 'x' is undefined")]
    [InlineData("{{ foo() }}", "chat template, line 1: 'foo' is undefined")]
    [InlineData("{{ {'a': 1}.b.c }}", "chat template, line 1: 'dict object' has no attribute 'b'")]
    [InlineData("\n{{ 'a' + 1 }}", "chat template, line 2: can only concatenate str (not \"int\") to str")]
    [InlineData("{{ x + 1 }}", "chat template, line 1: 'x' is undefined")]
    [InlineData("{{ x | tojson }}", "chat template, line 1: Object of type Undefined is not JSON serializable")]
    [InlineData("{% set l = [1] %}{{ l.append(2) }}", "chat template, line 1: access to attribute 'append' of 'list' object is unsafe.")]
    [InlineData("{{ 1 | nosuchfilter }}", "chat template, line 1: No filter named 'nosuchfilter'.")]
    [InlineData("{{ 1 is nosuchtest }}", "chat template, line 1: No test named 'nosuchtest'.")]
    [InlineData("{% set x = 1 %}{% set x.y = 2 %}", "chat template, line 1: cannot assign attribute on non-namespace object")]
    [InlineData("{{ 1 // 0 }}", "chat template, line 1: integer division or modulo by zero")]
    [InlineData("{{ 1 < 'a' }}", "chat template, line 1: '<' not supported between instances of 'int' and 'str'")]
    public void Evaluation_errors_match_jinja2(string source, string message)
    {
        var ex = Assert.Throws<UserError>(() => Render(source));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Raise_exception_throws_the_templates_message_unchanged()
    {
        var tpl = new ChatTemplate("{% if messages[0].role != 'user' %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}ok");
        var ex = Assert.Throws<UserError>(() => tpl.Render([new ChatMessage("assistant", "hi")], addGenerationPrompt: false));
        Assert.Equal("Conversation roles must alternate user/assistant/user/assistant/...", ex.Message);
        Assert.Equal("ok", tpl.Render([new ChatMessage("user", "hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void Undefined_values_are_falsy_empty_and_safe_to_test()
    {
        Assert.Equal("|False|True|0|[]|d|",
            Render("{{ x }}|{{ x is defined }}|{{ x is undefined }}|{{ x | length }}|{{ x | list }}|{{ x | default('d') }}|{% for i in x %}never{% endfor %}{% if x %}never{% endif %}"));
        // A missing key is undefined, not an error: templates probe optional fields this way.
        Assert.Equal("False|False", Render("{{ m.tool_calls is defined }}|{{ m['name'] is defined }}", new() { ["m"] = new JsonObject { ["role"] = "user" } }));
    }

    [Fact]
    public void FromFile_prefixes_syntax_errors_with_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tunesharp-bad-{Guid.NewGuid():N}.jinja");
        File.WriteAllText(path, "ok\n{% if %}");
        try
        {
            var ex = Assert.Throws<UserError>(() => ChatTemplate.FromFile(path));
            Assert.StartsWith(path + ": chat template, line 2: ", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromFile_reports_a_missing_file_as_a_user_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tunesharp-missing-{Guid.NewGuid():N}.jinja");
        var ex = Assert.Throws<UserError>(() => ChatTemplate.FromFile(path));
        Assert.StartsWith(path + ": cannot read chat template: ", ex.Message);
    }
}
