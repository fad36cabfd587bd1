namespace TuneSharp.Templates;

/// <summary>Expressions, by jinja2's precedence: conditional, or, and, not, comparisons, + -, ~, * / // %, **,
/// unary, then primary with postfix access, calls, filters and tests.</summary>
internal sealed partial class JinjaParser
{
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
