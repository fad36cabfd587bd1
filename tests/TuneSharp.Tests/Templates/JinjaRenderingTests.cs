using System.Text.Json.Nodes;
using TuneSharp.Templates;

namespace TuneSharp.Tests.Templates;

/// <summary>
/// Engine behaviour, one template snippet per case. Every expected string is what jinja2 3.1 renders with
/// Hugging Face's settings (ImmutableSandboxedEnvironment, trim_blocks, lstrip_blocks, loopcontrols, HF tojson).
/// </summary>
public class JinjaRenderingTests
{
    static string Render(string source) => new ChatTemplate(source).Render(new JsonArray(), addGenerationPrompt: false);

    /// <summary>Whitespace: trim_blocks, lstrip_blocks, '-' and '+' modifiers, comments, CRLF, raw, delimiters inside strings, trailing newline.</summary>
    [Theory]
    [InlineData("{% if true %}\n  yes\n{% endif %}\nafter", "  yes\nafter")]
    [InlineData("  {% if true %}x{% endif %}  \n  {{ 1 }}  {% if true %}y{% endif %}", "x  \n  1  y")]
    [InlineData("a  {%- if true -%}  b  {%- endif -%}  c", "abc")]
    [InlineData("a {{- 'b' -}} c\n{{ 'd' }}\n", "abc\nd")]
    [InlineData("  {%+ if true %}x{% endif %}", "  x")]
    [InlineData("{% if true +%}\nx{% endif %}", "\nx")]
    [InlineData("{# c #}\nA\n  {#- c -#}  B", "AB")]
    [InlineData("line\r\n{% if true %}\r\n  x\r\n{% endif %}\r\n", "line\n  x\n")]
    [InlineData("{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}")]
    [InlineData("<{% for x in [1, 2] %}\n    {{ x }}\n{% endfor %}\n>", "<    1\n    2\n>")]
    [InlineData("{{ '%}' }}{% set x = '}}' %}{{ x }}", "%}}}")]
    [InlineData("\t{% if true %}\tx\n\t{% endif %}\n", "\tx\n")]
    [InlineData("a\n  {{ 'v' }}\n  {% if true %}b{% endif %}\n", "a\n  v\nb")]
    [InlineData("{% for x in [1,2] -%}\n  {{ x }}\n{%- endfor %}", "12")]
    [InlineData("{%- set a = 1 -%}\n\n  {{ a }}  \n", "1  ")]
    [InlineData("x {#- comment #}\n y", "x y")]
    [InlineData("{{ {'a': {'b': 1}} }}", "{'a': {'b': 1}}")]
    [InlineData("{% if true %}  \n{% endif %}", "  \n")]
    [InlineData("{ {x} } {%raw%} {% {%endraw%}", "{ {x} }  {% ")]
    public void Whitespace_control_follows_trim_blocks_and_lstrip_blocks(string source, string expected) => Assert.Equal(expected, Render(source));

    /// <summary>for: loop.*, inline if-filter, else, break/continue, tuple unpacking, per-iteration scope, recursive loops.</summary>
    [Theory]
    [InlineData("{% for x in [1,2,3] %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }}|{% endfor %}", "10TrueFalse332|21FalseFalse321|32FalseTrue310|")]
    [InlineData("{% for x in [1,2,3] %}{{ loop.previtem }}-{{ loop.nextitem }};{% endfor %}", "-2;1-3;2-;")]
    [InlineData("{% for x in [1,2,3,4] if x is even %}{{ loop.index }}:{{ x }} of {{ loop.length }};{% endfor %}", "1:2 of 2;2:4 of 2;")]
    [InlineData("{% for x in [] %}a{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}", "0134")]
    [InlineData("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }},{% endfor %}", "a=1,b=2,")]
    [InlineData("{% for x in [1, 2] %}{% for y in 'ab' %}{{ loop.index }}{{ y }}{% endfor %}{{ loop.index }};{% endfor %}", "1a2b1;1a2b2;")]
    [InlineData("{% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %}", "ab")]
    [InlineData("{% for i in range(3) %}{% if i == 1 %}{% set x = 5 %}{% endif %}{{ x }},{% endfor %}", ",5,,")]
    [InlineData("{% for x in 'ab' %}{{ loop.cycle('odd', 'even') }}{% endfor %}", "oddeven")]
    [InlineData("{% set tree = [{'name': 'a', 'children': [{'name': 'b', 'children': []}, {'name': 'c'}]}] %}{% for n in tree recursive %}{{ loop.depth }}{{ n.name }}{% if n.children %}({{ loop(n.children) }}){% endif %}{% endfor %}", "1a(2b2c)")]
    [InlineData("{% for x in [1, 1, 2] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}", "12")]
    [InlineData("{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }},{% endfor %}", "3,7,")]
    public void For_loops_expose_loop_variables_filters_else_and_loop_controls(string source, string expected) => Assert.Equal(expected, Render(source));

    /// <summary>set (plain, tuple, block, filtered block, namespace attribute), macro, call block, filter block, if/elif/else.</summary>
    [Theory]
    [InlineData("{% set ns = namespace(n=0) %}{% for x in [1,2,3] %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}", "6")]
    [InlineData("{% set n = 0 %}{% for x in [1,2,3] %}{% set n = n + x %}{% endfor %}{{ n }}", "0")]
    [InlineData("{% set x %}block {{ 1 + 1 }}{% endset %}[{{ x }}]", "[block 2]")]
    [InlineData("{% set a, b = 1, 2 %}{{ a }}{{ b }}", "12")]
    [InlineData("{% set ns = namespace() %}{% set ns.k = 'v' %}{{ ns.k }}", "v")]
    [InlineData("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bob') }} {{ greet('Al', punct='?') }}", "Hi Bob! Hi Al?")]
    [InlineData("{% filter upper %}abc {{ 'd' }}{% endfilter %}", "ABC D")]
    [InlineData("{% if x %}a{% elif 0 %}b{% else %}c{% endif %}", "c")]
    [InlineData("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}in{% endcall %}", "<b>in</b>")]
    [InlineData("{% set x | upper %}shout{% endset %}{{ x }}", "SHOUT")]
    [InlineData("{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}", "12")]
    public void Set_namespace_macro_call_and_filter_blocks(string source, string expected) => Assert.Equal(expected, Render(source));

    /// <summary>Literals, slicing, arithmetic, comparisons, str/repr output, methods, undefined.</summary>
    [Theory]
    [InlineData("{{ [1,2,3,4][::-1] }} {{ [1,2,3,4][1:] }} {{ [1,2,3,4][:-1] }} {{ 'hello'[1:3] }} {{ 'hello'[-1] }} {{ [1,2,3][-2] }} {{ 'abcdef'[::2] }}", "[4, 3, 2, 1] [2, 3, 4] [1, 2, 3] el o 2 ace")]
    [InlineData("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} {{ 1 + 1.5 }} {{ 3 * 'ab' }} {{ 'a' ~ 1 ~ none ~ true }}", "3 -4 1 2 3.5 2.0 1024 2.5 ababab a1NoneTrue")]
    [InlineData("{{ 1 == 1.0 }} {{ 1 < 2 < 3 }} {{ 'a' in 'abc' }} {{ 2 not in [1, 3] }} {{ 'k' in {'k': 1} }} {{ none }} {{ true }} {{ 1.0 }} {{ 1e20 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1/3 }}", "True True True True True None True 1.0 1e+20 0.0001 1e-05 0.3333333333333333")]
    [InlineData("{{ 10000000000000000.0 }} {{ 123456789.123 }} {{ 1e-7 }} {{ -0.5 }} {{ 2.0 * 3 }} {{ 1_000 }}", "1e+16 123456789.123 1e-07 -0.5 6.0 1000")]
    [InlineData("{{ 'yes' if 0 else 'no' }} {{ 'y' if 1 }}|{{ 'n' if 0 }}|{{ not 1 == 2 }} {{ 1 and 'b' }} {{ 0 or '' or 'c' }}", "no y||True b c")]
    [InlineData("{{ 'a\\nb\\tc\\'d\\x41\\u00e9' }} {{ \"dq\" 'adjacent' }}", "a\nb\tc'dA\u00e9 dqadjacent")]
    [InlineData("{{ {'a': 1} }} {{ ('a',) }} {{ (1, 2) }} {{ ['x', 1, none, 'it\\'s', 2.5] }} {{ {'k': {'n': [true]}} }}", "{'a': 1} ('a',) (1, 2) ['x', 1, None, \"it's\", 2.5] {'k': {'n': [True]}}")]
    [InlineData("{{ '  a b  '.strip() }}|{{ 'xxaxx'.strip('x') }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a-b-c'.rsplit('-', 1) }}|{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith(('x', 'c')) }}|{{ 'a b'.upper() }}|{{ 'hello world'.title() }}|{{ 'aaa'.replace('a', 'b', 2) }}|{{ '{} and {}'.format(1, 'x') }}|{{ '\\n\\nx\\n'.lstrip('\\n') }}|{{ 'x  '.rstrip() }}.", "a b|a|['a', 'b', '', 'c']|['a', 'b']|['a-b', 'c']|True|True|A B|Hello World|bba|1 and x|x\n|x.")]
    [InlineData("{{ {'a': 1}.get('a') }} {{ {'a': 1}.get('b', 'z') }} {{ {'a': 1}.keys() | list }} {{ {'a': 1}.values() | list }} {{ {'a': 1}['a'] }} {{ {'a': 1}.a }}", "1 z ['a'] [1] 1 1")]
    [InlineData("{{ '%s-%d' % ('a', 3) }} {{ '%05.1f' | format(3.14159) }}", "a-3 003.1")]
    [InlineData("{{ range(3) | list }} {{ range(1, 7, 2) | list }} {{ dict(a=1) }} {{ namespace(a=1).a }}", "[0, 1, 2] [1, 3, 5] {'a': 1} 1")]
    [InlineData("{{ {'a': 1}.b }}|{{ {'a': 1}['b'] }}|{{ [1][5] }}|{{ none.x }}|{{ x }}|{{ x is defined }}{{ x is undefined }}|{{ x | default('d') }}|{{ x | length }}|{{ x | list }}|{% for i in x %}never{% endfor %}", "|||||FalseTrue|d|0|[]|")]
    public void Expressions_follow_python_semantics(string source, string expected) => Assert.Equal(expected, Render(source));

    /// <summary>The is-tests templates use.</summary>
    [Theory]
    [InlineData("{{ none is none }} {{ 'a' is string }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ 1 is number }} {{ true is number }} {{ true is boolean }} {{ false is false }} {{ 1 is true }} {{ 'ab' is sequence }} {{ 3 is odd }} {{ 4 is divisibleby 2 }} {{ 'x' is equalto 'x' }} {{ 1 is not string }} {{ 1.5 is float }} {{ 1 is integer }} {{ 2 is sameas 2 }} {{ 'a' is in 'abc' }}", "True True True True True True True True True False True True True True True True True True True")]
    public void Is_tests(string source, string expected) => Assert.Equal(expected, Render(source));

    /// <summary>Built-in filters.</summary>
    [Theory]
    [InlineData("{{ '  hi  ' | trim }}|{{ 'hello world' | title }}|{{ 'hELLO' | capitalize }}|{{ 'abc' | upper }}|{{ 'ABC' | lower }}|{{ 'aXbX' | replace('X', '-') }}|{{ [1, 2] | join(', ') }}|{{ [3, 1, 2] | first }}|{{ [3, 1, 2] | last }}|{{ 'abc' | list }}|{{ '42' | int + 1 }}|{{ '2.5' | float }}|{{ {'b': 1, 'a': 2} | items | list }}", "hi|Hello World|Hello|ABC|abc|a-b-|1, 2|3|2|['a', 'b', 'c']|43|2.5|[('b', 1), ('a', 2)]")]
    [InlineData("{{ [{'r': 'u', 'n': 1}, {'r': 'a', 'n': 2}, {'r': 'u', 'n': 3}] | selectattr('r', 'equalto', 'u') | map(attribute='n') | list }} {{ [1, 2, 3, 4] | select('odd') | list }} {{ [1, 2, 3, 4] | reject('odd') | list }} {{ [{'a': 1}, {'a': none}] | rejectattr('a', 'none') | list }} {{ [1, 2, 1, 3] | unique | list }} {{ ['a', 'b'] | map('upper') | join }}", "[1, 3] [1, 3] [2, 4] [{'a': 1}] [1, 2, 3] AB")]
    [InlineData("{{ [1, 2, 3] | sum }} {{ [3, 1, 2] | sort | list }} {{ [3, 1, 2] | max }} {{ -3 | abs }} {{ 2.567 | round(2) }} {{ 'a b c' | wordcount }} {{ [1, 2] | reverse | list }} {{ 'abc' | reverse }} {{ [1, 2] | length }} {{ 'ab' | count }}", "6 [1, 2, 3] 3 3 2.57 3 [2, 1] cba 2 2")]
    [InlineData("{{ 'abc' | center(9) }}|{{ 'line1\\nline2\\n\\nline4' | indent(2) }}|{{ 'x' | indent(2, true) }}|{{ '<a href=\"x\">&</a>' | e }}|{{ 5 | string ~ 'x' }}|{{ none | string }}|{{ 'x' | safe }}|{{ {'b': 2, 'a': 1} | dictsort }}", "   abc   |line1\n  line2\n\n  line4|  x|&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt;|5x|None|x|[('a', 1), ('b', 2)]")]
    [InlineData("{{ ['code_interpreter', 'brave_search', 'wolfram'] | reject('equalto', 'code_interpreter') | join(', ') }}|{{ 'a' | default('b') }}|{{ '' | d('e', true) }}|{{ none | default('n') }}", "brave_search, wolfram|a|e|None")]
    public void Filters(string source, string expected) => Assert.Equal(expected, Render(source));

    /// <summary>HF's tojson: json.dumps with ensure_ascii=False, indent, sort_keys, separators.</summary>
    [Theory]
    [InlineData("{{ {'a': '\u00e9\u2713', 'b': [1, 2.5, true, none], 'c': {'d': \"q\\\"\"}} | tojson }}", "{\"a\": \"\u00e9\u2713\", \"b\": [1, 2.5, true, null], \"c\": {\"d\": \"q\\\"\"}}")]
    [InlineData("{{ {'a': 1, 'b': [1, 2], 'e': {}, 'f': []} | tojson(indent=4) }}", "{\n    \"a\": 1,\n    \"b\": [\n        1,\n        2\n    ],\n    \"e\": {},\n    \"f\": []\n}")]
    [InlineData("{{ {'b': 1, 'a': '\\n\\t<>&/\\x01'} | tojson(sort_keys=true) }}", "{\"a\": \"\\n\\t<>&/\\u0001\", \"b\": 1}")]
    [InlineData("{{ 'caf\u00e9' | tojson(ensure_ascii=true) }} {{ [1, 2] | tojson(separators=(',', ':')) }} {{ 1e20 | tojson }} {{ 'x' | tojson(indent=2) }} {{ [[]] | tojson(indent='\\t') }}", "\"caf\\u00e9\" [1,2] 1e+20 \"x\" [\n\t[]\n]")]
    public void Tojson_matches_python_json_dumps(string source, string expected) => Assert.Equal(expected, Render(source));

    /// <summary>HF's AssistantTracker block only marks assistant text for masks; rendering passes it through.</summary>
    [Fact]
    public void Generation_block_renders_its_body() =>
        Assert.Equal("<a>reply</a>", Render("<a>{% generation %}reply{% endgeneration %}</a>"));
}
