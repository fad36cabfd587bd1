namespace TuneSharp.Templates;

/// <summary>
/// Recursive-descent parser for the Jinja subset chat templates use, following jinja2's grammar and
/// operator precedence (filters and tests bind tighter than arithmetic; <c>not</c> is looser than tests).
/// </summary>
internal sealed partial class JinjaParser
{
    readonly List<JinjaToken> t;
    int p;
    int loopDepth;

    JinjaParser(List<JinjaToken> tokens) => t = tokens;

    /// <summary>Parses a template; syntax errors are <see cref="UserError"/>s naming the line.</summary>
    public static List<Stmt> Parse(string source)
    {
        var parser = new JinjaParser(JinjaLexer.Tokenize(source));
        var body = parser.ParseBody([], out _);
        return body;
    }

    JinjaToken Cur => t[p];

    JinjaToken Peek(int ahead = 1) => t[Math.Min(p + ahead, t.Count - 1)];

    JinjaToken Next() => t[p < t.Count - 1 ? p++ : p];

    static UserError Error(JinjaToken at, string message) => TemplateErrors.At(at.Line, message);

    JinjaToken ExpectOperator(string op)
    {
        if (!Cur.IsOperator(op)) throw Error(Cur, $"expected '{op}', got {Cur}");
        return Next();
    }

    JinjaToken ExpectName()
    {
        if (Cur.Kind != JinjaTokenKind.Name) throw Error(Cur, $"expected a name, got {Cur}");
        return Next();
    }

    void ExpectBlockEnd()
    {
        if (Cur.Kind != JinjaTokenKind.BlockEnd) throw Error(Cur, $"expected end of statement '%}}', got {Cur}");
        Next();
    }

    // ---- statements ----

    /// <summary>Parses until one of <paramref name="endTags"/> (left unconsumed, after its "{%") or the end.</summary>
    List<Stmt> ParseBody(string[] endTags, out string endTag)
    {
        var body = new List<Stmt>();
        while (true)
        {
            var tok = Cur;
            switch (tok.Kind)
            {
                case JinjaTokenKind.Eof:
                    if (endTags.Length > 0)
                        throw Error(tok, $"unexpected end of template; expected {string.Join(" or ", endTags.Select(e => "'" + e + "'"))}");
                    endTag = "";
                    return body;
                case JinjaTokenKind.Data:
                    Next();
                    body.Add(new DataStmt(tok.Line, tok.Text));
                    break;
                case JinjaTokenKind.VariableBegin:
                    Next();
                    var value = ParseTuple(withCondExpr: true);
                    if (Cur.Kind != JinjaTokenKind.VariableEnd) throw Error(Cur, $"expected end of print statement '}}}}', got {Cur}");
                    Next();
                    body.Add(new OutputStmt(tok.Line, value));
                    break;
                case JinjaTokenKind.BlockBegin:
                    Next();
                    if (Cur.Kind == JinjaTokenKind.Name && endTags.Contains(Cur.Text))
                    {
                        endTag = Cur.Text;
                        return body;
                    }
                    body.Add(ParseStatement(endTags));
                    break;
                default:
                    throw Error(tok, $"unexpected {tok}");
            }
        }
    }

    Stmt ParseStatement(string[] enclosingEnds)
    {
        var name = ExpectName();
        switch (name.Text)
        {
            case "if": return ParseIf(name);
            case "for": return ParseFor(name);
            case "set": return ParseSet(name);
            case "macro": return ParseMacro(name);
            case "call": return ParseCallBlock(name);
            case "filter": return ParseFilterBlock(name);
            case "generation":
                ExpectBlockEnd();
                var generationBody = ParseEnd(["endgeneration"]);
                return new GenerationStmt(name.Line, generationBody);
            case "break":
            case "continue":
                if (loopDepth == 0) throw Error(name, $"'{name.Text}' outside of a for loop");
                ExpectBlockEnd();
                return name.Text == "break" ? new BreakStmt(name.Line) : new ContinueStmt(name.Line);
        }
        string expected = enclosingEnds.Length > 0
            ? $"; the innermost open block expects {string.Join(" or ", enclosingEnds.Select(e => "'" + e + "'"))}"
            : "";
        throw Error(name, $"unknown or unexpected tag '{name.Text}'{expected}");
    }

    /// <summary>Parses a body ending in one tag (consumed with its "%}").</summary>
    List<Stmt> ParseEnd(string[] ends)
    {
        var body = ParseBody(ends, out _);
        Next();
        ExpectBlockEnd();
        return body;
    }

    Stmt ParseIf(JinjaToken start)
    {
        var branches = new List<(Expr, List<Stmt>)>();
        List<Stmt>? otherwise = null;
        var test = ParseTuple(withCondExpr: true);
        ExpectBlockEnd();
        while (true)
        {
            var body = ParseBody(["elif", "else", "endif"], out var end);
            branches.Add((test, body));
            Next();
            if (end == "elif")
            {
                test = ParseTuple(withCondExpr: true);
                ExpectBlockEnd();
                continue;
            }
            ExpectBlockEnd();
            if (end == "else") otherwise = ParseEnd(["endif"]);
            return new IfStmt(start.Line, branches, otherwise);
        }
    }

    Stmt ParseFor(JinjaToken start)
    {
        var target = ParseAssignTarget(withNamespace: false, endName: "in");
        if (!Cur.IsName("in")) throw Error(Cur, $"expected 'in', got {Cur}");
        Next();
        var iterable = ParseTuple(withCondExpr: false, extraEnd: "recursive");
        Expr? filter = null;
        if (Cur.IsName("if"))
        {
            Next();
            filter = ParseExpression();
        }
        bool recursive = false;
        if (Cur.IsName("recursive"))
        {
            Next();
            recursive = true;
        }
        ExpectBlockEnd();
        loopDepth++;
        var body = ParseBody(["endfor", "else"], out var end);
        loopDepth--;
        Next();
        ExpectBlockEnd();
        List<Stmt>? otherwise = end == "else" ? ParseEnd(["endfor"]) : null;
        return new ForStmt(start.Line, target, iterable, filter, body, otherwise, recursive);
    }

    Stmt ParseSet(JinjaToken start)
    {
        var target = ParseAssignTarget(withNamespace: true, endName: null);
        if (Cur.IsOperator("="))
        {
            Next();
            var value = ParseTuple(withCondExpr: true);
            ExpectBlockEnd();
            return new SetStmt(start.Line, target, value);
        }
        var filters = ParseFilterChain();
        ExpectBlockEnd();
        var body = ParseEnd(["endset"]);
        return new SetBlockStmt(start.Line, target, filters, body);
    }

    List<FilterExpr> ParseFilterChain()
    {
        var filters = new List<FilterExpr>();
        while (Cur.IsOperator("|"))
        {
            Next();
            filters.Add(ParseFilterCall(null));
        }
        return filters;
    }

    Stmt ParseFilterBlock(JinjaToken start)
    {
        var filters = new List<FilterExpr> { ParseFilterCall(null) };
        filters.AddRange(ParseFilterChain());
        ExpectBlockEnd();
        return new FilterBlockStmt(start.Line, filters, ParseEnd(["endfilter"]));
    }

    List<(string, Expr?)> ParseParameters()
    {
        var parameters = new List<(string, Expr?)>();
        ExpectOperator("(");
        while (!Cur.IsOperator(")"))
        {
            if (parameters.Count > 0) ExpectOperator(",");
            if (Cur.IsOperator(")")) break;
            var pname = ExpectName().Text;
            Expr? dflt = null;
            if (Cur.IsOperator("="))
            {
                Next();
                dflt = ParseExpression();
            }
            parameters.Add((pname, dflt));
        }
        Next();
        return parameters;
    }

    Stmt ParseMacro(JinjaToken start)
    {
        var name = ExpectName().Text;
        var parameters = ParseParameters();
        ExpectBlockEnd();
        int saved = loopDepth;
        loopDepth = 0;
        var body = ParseEnd(["endmacro"]);
        loopDepth = saved;
        return new MacroStmt(start.Line, name, parameters, body);
    }

    Stmt ParseCallBlock(JinjaToken start)
    {
        var callerParameters = Cur.IsOperator("(") ? ParseParameters().Select(x => x.Item1).ToList() : [];
        var call = ParseExpression() as CallExpr ?? throw Error(start, "expected a macro call after 'call'");
        ExpectBlockEnd();
        return new CallBlockStmt(start.Line, call, callerParameters, ParseEnd(["endcall"]));
    }

    Target ParseAssignTarget(bool withNamespace, string? endName)
    {
        int line = Cur.Line;
        if (withNamespace && Cur.Kind == JinjaTokenKind.Name && Peek().IsOperator("."))
        {
            var owner = Next().Text;
            Next();
            return new AttrTarget(line, owner, ExpectName().Text);
        }
        var items = new List<Target>();
        bool isTuple = false;
        while (true)
        {
            if (items.Count > 0) ExpectOperator(",");
            if (Cur.Kind != JinjaTokenKind.Name && !Cur.IsOperator("(")) break;
            if (endName != null && Cur.IsName(endName)) break;
            if (Cur.IsOperator("("))
            {
                Next();
                items.Add(ParseAssignTarget(false, null));
                ExpectOperator(")");
            }
            else items.Add(new NameTarget(Cur.Line, Next().Text));
            if (Cur.IsOperator(",")) isTuple = true;
            else break;
        }
        if (items.Count == 0) throw Error(Cur, $"expected an assignment target, got {Cur}");
        return isTuple ? new TupleTarget(line, items) : items[0];
    }
}
