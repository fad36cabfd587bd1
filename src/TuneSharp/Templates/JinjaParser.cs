namespace TuneSharp.Templates;

/// <summary>
/// Recursive-descent parser for the Jinja subset chat templates use, following jinja2's grammar and
/// operator precedence (filters and tests bind tighter than arithmetic; <c>not</c> is looser than tests).
/// </summary>
internal sealed class JinjaParser
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

    // ---- expressions ----

    Expr ParseExpression(bool withCondExpr = true) => withCondExpr ? ParseCondExpr() : ParseOr();

    /// <summary>An expression or a bare tuple <c>a, b</c> (as in <c>{% set x = 1, 2 %}</c>).</summary>
    Expr ParseTuple(bool withCondExpr, string? extraEnd = null, bool explicitParens = false)
    {
        int line = Cur.Line;
        var items = new List<Expr>();
        bool isTuple = false;
        while (true)
        {
            if (items.Count > 0) ExpectOperator(",");
            if (Cur.Kind is JinjaTokenKind.VariableEnd or JinjaTokenKind.BlockEnd || Cur.IsOperator(")")
                || (extraEnd != null && Cur.IsName(extraEnd)))
                break;
            items.Add(ParseExpression(withCondExpr));
            if (Cur.IsOperator(",")) isTuple = true;
            else break;
        }
        if (!isTuple)
        {
            if (items.Count > 0) return items[0];
            if (!explicitParens) throw Error(Cur, $"expected an expression, got {Cur}");
        }
        return new TupleExpr(line, items);
    }

    Expr ParseCondExpr()
    {
        var expr = ParseOr();
        while (Cur.IsName("if"))
        {
            int line = Next().Line;
            var test = ParseOr();
            Expr? otherwise = null;
            if (Cur.IsName("else"))
            {
                Next();
                otherwise = ParseCondExpr();
            }
            expr = new CondExpr(line, test, expr, otherwise);
        }
        return expr;
    }

    Expr ParseOr()
    {
        var left = ParseAnd();
        while (Cur.IsName("or"))
        {
            int line = Next().Line;
            left = new BinaryExpr(line, "or", left, ParseAnd());
        }
        return left;
    }

    Expr ParseAnd()
    {
        var left = ParseNot();
        while (Cur.IsName("and"))
        {
            int line = Next().Line;
            left = new BinaryExpr(line, "and", left, ParseNot());
        }
        return left;
    }

    Expr ParseNot()
    {
        if (Cur.IsName("not"))
        {
            int line = Next().Line;
            return new UnaryExpr(line, "not", ParseNot());
        }
        return ParseCompare();
    }

    static readonly HashSet<string> CompareOps = ["==", "!=", "<", ">", "<=", ">="];

    Expr ParseCompare()
    {
        int line = Cur.Line;
        var first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            if (Cur.Kind == JinjaTokenKind.Operator && CompareOps.Contains(Cur.Text))
            {
                var op = Next().Text;
                rest.Add((op, ParseMath1()));
            }
            else if (Cur.IsName("in"))
            {
                Next();
                rest.Add(("in", ParseMath1()));
            }
            else if (Cur.IsName("not") && Peek().IsName("in"))
            {
                Next();
                Next();
                rest.Add(("not in", ParseMath1()));
            }
            else break;
        }
        return rest.Count == 0 ? first : new CompareExpr(line, first, rest);
    }

    Expr ParseBinaryLevel(Func<Expr> operand, params string[] ops)
    {
        var left = operand();
        while (Cur.Kind == JinjaTokenKind.Operator && ops.Contains(Cur.Text))
        {
            var op = Next();
            left = new BinaryExpr(op.Line, op.Text, left, operand());
        }
        return left;
    }

    Expr ParseMath1() => ParseBinaryLevel(ParseConcat, "+", "-");

    Expr ParseConcat() => ParseBinaryLevel(ParseMath2, "~");

    Expr ParseMath2() => ParseBinaryLevel(ParsePow, "*", "/", "//", "%");

    Expr ParsePow() => ParseBinaryLevel(() => ParseUnary(true), "**");

    Expr ParseUnary(bool withFilter)
    {
        Expr node;
        if (Cur.IsOperator("-") || Cur.IsOperator("+"))
        {
            var op = Next();
            node = new UnaryExpr(op.Line, op.Text, ParseUnary(false));
        }
        else node = ParsePrimary();
        node = ParsePostfix(node);
        return withFilter ? ParseFilterExpr(node) : node;
    }

    Expr ParsePrimary()
    {
        var tok = Cur;
        switch (tok.Kind)
        {
            case JinjaTokenKind.Name:
                Next();
                return tok.Text switch
                {
                    "true" or "True" => new ConstExpr(tok.Line, true),
                    "false" or "False" => new ConstExpr(tok.Line, false),
                    "none" or "None" => new ConstExpr(tok.Line, null),
                    _ => new NameExpr(tok.Line, tok.Text),
                };
            case JinjaTokenKind.String:
                var text = (string)tok.Literal!;
                Next();
                // Adjacent string literals concatenate, as in Python.
                while (Cur.Kind == JinjaTokenKind.String) text += (string)Next().Literal!;
                return new ConstExpr(tok.Line, text);
            case JinjaTokenKind.Integer:
            case JinjaTokenKind.Float:
                Next();
                return new ConstExpr(tok.Line, tok.Literal);
        }
        if (tok.IsOperator("("))
        {
            Next();
            var inner = ParseTuple(withCondExpr: true, explicitParens: true);
            ExpectOperator(")");
            return inner;
        }
        if (tok.IsOperator("[")) return ParseList();
        if (tok.IsOperator("{")) return ParseDict();
        throw Error(tok, $"unexpected {tok}");
    }

    Expr ParseList()
    {
        int line = Next().Line;
        var items = new List<Expr>();
        while (!Cur.IsOperator("]"))
        {
            if (items.Count > 0) ExpectOperator(",");
            if (Cur.IsOperator("]")) break;
            items.Add(ParseExpression());
        }
        Next();
        return new ListExpr(line, items);
    }

    Expr ParseDict()
    {
        int line = Next().Line;
        var entries = new List<(Expr, Expr)>();
        while (!Cur.IsOperator("}"))
        {
            if (entries.Count > 0) ExpectOperator(",");
            if (Cur.IsOperator("}")) break;
            var key = ParseExpression();
            ExpectOperator(":");
            entries.Add((key, ParseExpression()));
        }
        Next();
        return new DictExpr(line, entries);
    }

    Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            if (Cur.IsOperator("."))
            {
                int line = Next().Line;
                if (Cur.Kind == JinjaTokenKind.Name) node = new AttrExpr(line, node, Next().Text);
                else if (Cur.Kind == JinjaTokenKind.Integer) node = new ItemExpr(line, node, new ConstExpr(line, Next().Literal));
                else throw Error(Cur, $"expected an attribute name after '.', got {Cur}");
            }
            else if (Cur.IsOperator("["))
            {
                int line = Next().Line;
                var keys = new List<Expr>();
                while (!Cur.IsOperator("]"))
                {
                    if (keys.Count > 0) ExpectOperator(",");
                    keys.Add(ParseSubscribed());
                }
                Next();
                if (keys.Count == 0) throw Error(Cur, "expected a subscript");
                node = new ItemExpr(line, node, keys.Count == 1 ? keys[0] : new TupleExpr(line, keys));
            }
            else if (Cur.IsOperator("("))
            {
                int line = Cur.Line;
                node = new CallExpr(line, node, ParseCallArguments());
            }
            else return node;
        }
    }

    Expr ParseSubscribed()
    {
        int line = Cur.Line;
        Expr? start = null;
        if (!Cur.IsOperator(":"))
        {
            start = ParseExpression();
            if (!Cur.IsOperator(":")) return start;
        }
        Next();
        Expr? stop = null, step = null;
        if (!Cur.IsOperator("]") && !Cur.IsOperator(",") && !Cur.IsOperator(":")) stop = ParseExpression();
        if (Cur.IsOperator(":"))
        {
            Next();
            if (!Cur.IsOperator("]") && !Cur.IsOperator(",")) step = ParseExpression();
        }
        return new SliceExpr(line, start, stop, step);
    }

    Arguments ParseCallArguments()
    {
        ExpectOperator("(");
        var positional = new List<Expr>();
        var keyword = new List<(string, Expr)>();
        while (!Cur.IsOperator(")"))
        {
            if (positional.Count + keyword.Count > 0) ExpectOperator(",");
            if (Cur.IsOperator(")")) break;
            if (Cur.IsOperator("*") || Cur.IsOperator("**")) throw Error(Cur, "*args and **kwargs in calls are not supported");
            if (Cur.Kind == JinjaTokenKind.Name && Peek().IsOperator("="))
            {
                var key = Next().Text;
                Next();
                keyword.Add((key, ParseExpression()));
            }
            else
            {
                if (keyword.Count > 0) throw Error(Cur, "positional argument follows keyword argument");
                positional.Add(ParseExpression());
            }
        }
        Next();
        return new Arguments(positional, keyword);
    }

    Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            if (Cur.IsOperator("|"))
            {
                Next();
                node = ParseFilterCall(node);
            }
            else if (Cur.IsName("is")) node = ParseTest(node);
            else if (Cur.IsOperator("(")) node = new CallExpr(Cur.Line, node, ParseCallArguments());
            else return node;
        }
    }

    string ParseDottedName()
    {
        var name = ExpectName().Text;
        while (Cur.IsOperator(".") && Peek().Kind == JinjaTokenKind.Name)
        {
            Next();
            name += "." + Next().Text;
        }
        return name;
    }

    FilterExpr ParseFilterCall(Expr? value)
    {
        int line = Cur.Line;
        var name = ParseDottedName();
        var args = Cur.IsOperator("(") ? ParseCallArguments() : Arguments.None;
        return new FilterExpr(line, value, name, args);
    }

    Expr ParseTest(Expr node)
    {
        int line = Next().Line;
        bool negated = false;
        if (Cur.IsName("not"))
        {
            Next();
            negated = true;
        }
        var name = ParseDottedName();
        var args = Arguments.None;
        if (Cur.IsOperator("(")) args = ParseCallArguments();
        else if ((Cur.Kind is JinjaTokenKind.Name or JinjaTokenKind.String or JinjaTokenKind.Integer or JinjaTokenKind.Float
                  || Cur.IsOperator("(") || Cur.IsOperator("[") || Cur.IsOperator("{"))
                 && !Cur.IsName("else") && !Cur.IsName("or") && !Cur.IsName("and"))
        {
            if (Cur.IsName("is")) throw Error(Cur, "you cannot chain multiple tests with 'is'");
            // jinja2 takes one bare argument: "x is divisibleby 3", "x is sameas false".
            var arg = ParsePostfix(ParsePrimary());
            args = new Arguments([arg], []);
        }
        Expr test = new TestExpr(line, node, name, args);
        return negated ? new UnaryExpr(line, "not", test) : test;
    }
}
