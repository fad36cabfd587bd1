namespace TuneSharp.Templates;

/// <summary>The kinds of token the Jinja lexer produces.</summary>
internal enum JinjaTokenKind
{
    /// <summary>Literal template text, already whitespace-controlled.</summary>
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    Eof,
}

/// <summary>One token; <see cref="Literal"/> holds the decoded value of strings and numbers.</summary>
internal sealed record JinjaToken(JinjaTokenKind Kind, string Text, int Line, object? Literal = null)
{
    public bool Is(JinjaTokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsOperator(string op) => Kind == JinjaTokenKind.Operator && Text == op;

    public bool IsName(string name) => Kind == JinjaTokenKind.Name && Text == name;

    public override string ToString() => Kind switch
    {
        JinjaTokenKind.Eof => "end of template",
        JinjaTokenKind.VariableEnd => "'}}'",
        JinjaTokenKind.BlockEnd => "'%}'",
        JinjaTokenKind.Data => "template data",
        _ => "'" + Text + "'",
    };
}
