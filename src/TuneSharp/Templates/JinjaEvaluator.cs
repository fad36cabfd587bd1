using System.Text;

namespace TuneSharp.Templates;

/// <summary>Walks a parsed template and writes its output; one instance per render.</summary>
internal sealed class JinjaEvaluator
{
    enum Flow { Normal, Break, Continue }

    int loopDepth;

    /// <summary>Renders <paramref name="body"/> with <paramref name="scope"/> as the template's variables.</summary>
    public static string Render(List<Stmt> body, JinjaScope scope)
    {
        var sb = new StringBuilder();
        new JinjaEvaluator().Exec(body, scope, sb);
        return sb.ToString();
    }

    Flow Exec(List<Stmt> body, JinjaScope scope, StringBuilder sb)
    {
        foreach (var stmt in body)
        {
            var flow = ExecOne(stmt, scope, sb);
            if (flow != Flow.Normal) return flow;
        }
        return Flow.Normal;
    }

    Flow ExecOne(Stmt stmt, JinjaScope scope, StringBuilder sb)
    {
        try
        {
            switch (stmt)
            {
                case DataStmt d:
                    sb.Append(d.Text);
                    return Flow.Normal;
                case OutputStmt o:
                    sb.Append(PyFormat.Str(Eval(o.Value, scope)));
                    return Flow.Normal;
                case IfStmt i:
                    foreach (var (test, branch) in i.Branches)
                        if (PyOps.Truthy(Eval(test, scope))) return Exec(branch, scope, sb);
                    return i.Else != null ? Exec(i.Else, scope, sb) : Flow.Normal;
                case ForStmt f:
                    ExecFor(f, Eval(f.Iterable, scope), scope, sb);
                    return Flow.Normal;
                case SetStmt s:
                    Assign(s.Target, Eval(s.Value, scope), scope);
                    return Flow.Normal;
                case SetBlockStmt s:
                    Assign(s.Target, ApplyFilters(s.Filters, Capture(s.Body, scope), scope), scope);
                    return Flow.Normal;
                case FilterBlockStmt f:
                    sb.Append(PyFormat.Str(ApplyFilters(f.Filters, Capture(f.Body, scope), scope)));
                    return Flow.Normal;
                case MacroStmt m:
                    scope.Set(m.Name, MakeMacro(m.Name, m.Parameters, m.Body, scope));
                    return Flow.Normal;
                case CallBlockStmt c:
                    var caller = MakeMacro("caller", [.. c.CallerParameters.Select(n => (n, (Expr?)null))], c.Body, scope);
                    var callee = Eval(c.Call.Callee, scope);
                    var (args, kwargs) = EvalArgs(c.Call.Args, scope);
                    kwargs["caller"] = caller;
                    sb.Append(PyFormat.Str(Call(callee, args, kwargs)));
                    return Flow.Normal;
                case GenerationStmt g:
                    return Exec(g.Body, scope, sb);
                case BreakStmt:
                    return Flow.Break;
                case ContinueStmt:
                    return Flow.Continue;
            }
        }
        catch (JinjaRuntimeException ex)
        {
            throw TemplateErrors.At(stmt.Line, ex.Message);
        }
        throw TemplateErrors.At(stmt.Line, $"unsupported statement {stmt.GetType().Name}");
    }

    string Capture(List<Stmt> body, JinjaScope scope)
    {
        var inner = new StringBuilder();
        Exec(body, scope, inner);
        return inner.ToString();
    }

    object? ApplyFilters(List<FilterExpr> filters, object? value, JinjaScope scope)
    {
        foreach (var f in filters)
        {
            var (args, kwargs) = EvalArgs(f.Args, scope);
            value = JinjaFilters.Apply(f.Name, value, new JinjaArgs(args, kwargs));
        }
        return value;
    }

    void ExecFor(ForStmt f, object? iterable, JinjaScope scope, StringBuilder sb)
    {
        if (iterable is JinjaUndefined && f.Else == null) return;
        IReadOnlyList<object?> items = PyOps.Iterate(iterable);
        if (f.Filter != null)
        {
            // "for x in xs if cond" filters before the loop, so loop.index and loop.length count kept items.
            var kept = new List<object?>();
            foreach (var item in items)
            {
                var probe = new JinjaScope(scope);
                Assign(f.Target, item, probe);
                if (PyOps.Truthy(Eval(f.Filter, probe))) kept.Add(item);
            }
            items = kept;
        }
        if (items.Count == 0)
        {
            if (f.Else != null) Exec(f.Else, scope, sb);
            return;
        }
        var loop = new JinjaLoop(items, loopDepth);
        if (f.Recursive)
        {
            loop.Recurse = children =>
            {
                var inner = new StringBuilder();
                loopDepth++;
                try { ExecFor(f, children, scope, inner); }
                finally { loopDepth--; }
                return inner.ToString();
            };
        }
        for (int i = 0; i < items.Count; i++)
        {
            loop.Index0 = i;
            var iteration = new JinjaScope(scope);
            iteration.Set("loop", loop);
            Assign(f.Target, items[i], iteration);
            if (Exec(f.Body, iteration, sb) == Flow.Break) break;
        }
    }

    void Assign(Target target, object? value, JinjaScope scope)
    {
        switch (target)
        {
            case NameTarget n:
                scope.Set(n.Name, value);
                break;
            case TupleTarget t:
                var values = PyOps.Iterate(value);
                if (values.Count != t.Items.Count)
                    throw new JinjaRuntimeException(values.Count > t.Items.Count
                        ? $"too many values to unpack (expected {t.Items.Count})"
                        : $"not enough values to unpack (expected {t.Items.Count}, got {values.Count})");
                for (int i = 0; i < values.Count; i++) Assign(t.Items[i], values[i], scope);
                break;
            case AttrTarget a:
                if (!scope.TryGet(a.Owner, out var owner) || owner is not JinjaNamespace ns)
                    throw new JinjaRuntimeException("cannot assign attribute on non-namespace object");
                ns.Attributes[a.Attribute] = value;
                break;
        }
    }

    JinjaFunction MakeMacro(string name, List<(string Name, Expr? Default)> parameters, List<Stmt> body, JinjaScope definedIn) =>
        new(name, (args, kwargs) =>
        {
            var frame = new JinjaScope(definedIn);
            for (int i = 0; i < parameters.Count; i++)
            {
                var (pname, dflt) = parameters[i];
                if (i < args.Count) frame.Set(pname, args[i]);
                else if (kwargs.Remove(pname, out var kv)) frame.Set(pname, kv);
                else frame.Set(pname, dflt != null ? Eval(dflt, frame) : JinjaUndefined.ForName(pname));
            }
            frame.Set("varargs", args.Skip(parameters.Count).ToList());
            if (kwargs.Remove("caller", out var caller)) frame.Set("caller", caller);
            var rest = new PyDict();
            foreach (var kv in kwargs) rest[kv.Key] = kv.Value;
            frame.Set("kwargs", rest);
            int saved = loopDepth;
            loopDepth = 0;
            try { return Capture(body, frame); }
            finally { loopDepth = saved; }
        });

    (List<object?> Args, Dictionary<string, object?> Kwargs) EvalArgs(Arguments a, JinjaScope scope)
    {
        var args = new List<object?>(a.Positional.Count);
        foreach (var e in a.Positional) args.Add(Eval(e, scope));
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, e) in a.Keyword) kwargs[name] = Eval(e, scope);
        return (args, kwargs);
    }

    static object? Call(object? callee, List<object?> args, Dictionary<string, object?> kwargs) => callee switch
    {
        JinjaFunction f => f.Invoke(args, kwargs),
        JinjaLoop { Recurse: not null } loop when args.Count == 1 => loop.Recurse(args[0]),
        JinjaUndefined u => throw u.Fail(),
        _ => throw new JinjaRuntimeException($"'{PyOps.TypeName(callee)}' object is not callable"),
    };

    object? Eval(Expr expr, JinjaScope scope)
    {
        try
        {
            return EvalCore(expr, scope);
        }
        catch (JinjaRuntimeException ex)
        {
            throw TemplateErrors.At(expr.Line, ex.Message);
        }
    }

    object? EvalCore(Expr expr, JinjaScope scope)
    {
        switch (expr)
        {
            case ConstExpr c:
                return c.Value;
            case NameExpr n:
                return scope.TryGet(n.Name, out var v) ? v : JinjaUndefined.ForName(n.Name);
            case ListExpr l:
                return l.Items.Select(e => Eval(e, scope)).ToList();
            case TupleExpr t:
                return t.Items.Select(e => Eval(e, scope)).ToArray();
            case DictExpr d:
                var dict = new PyDict();
                foreach (var (k, e) in d.Entries) dict[Eval(k, scope)!] = Eval(e, scope);
                return dict;
            case AttrExpr a:
                return JinjaAccess.GetAttr(Eval(a.Target, scope), a.Name);
            case ItemExpr i:
                var target = Eval(i.Target, scope);
                if (i.Key is SliceExpr s)
                    return JinjaAccess.Slice(target, SliceBound(s.Start, scope), SliceBound(s.Stop, scope), SliceBound(s.Step, scope));
                return JinjaAccess.GetItem(target, Eval(i.Key, scope));
            case CallExpr call:
                var callee = Eval(call.Callee, scope);
                var (args, kwargs) = EvalArgs(call.Args, scope);
                return Call(callee, args, kwargs);
            case FilterExpr f:
                var (fargs, fkwargs) = EvalArgs(f.Args, scope);
                return JinjaFilters.Apply(f.Name, f.Value == null ? null : Eval(f.Value, scope), new JinjaArgs(fargs, fkwargs));
            case TestExpr t:
                var (targs, tkwargs) = EvalArgs(t.Args, scope);
                return JinjaTests.Apply(t.Name, Eval(t.Value, scope), new JinjaArgs(targs, tkwargs));
            case UnaryExpr u:
                var operand = Eval(u.Operand, scope);
                return u.Op == "not" ? !PyOps.Truthy(operand) : PyOps.Negate(operand, u.Op == "-");
            case BinaryExpr b:
                return EvalBinary(b, scope);
            case CompareExpr c:
                var left = Eval(c.First, scope);
                foreach (var (op, e) in c.Rest)
                {
                    var right = Eval(e, scope);
                    if (!CompareOp(op, left, right)) return false;
                    left = right;
                }
                return true;
            case CondExpr c:
                if (PyOps.Truthy(Eval(c.Test, scope))) return Eval(c.Then, scope);
                return c.Otherwise != null
                    ? Eval(c.Otherwise, scope)
                    : new JinjaUndefined($"the inline if-expression on line {c.Line} evaluated to false and no else section was defined.");
            case SliceExpr:
                throw new JinjaRuntimeException("a slice is only valid inside []");
        }
        throw new JinjaRuntimeException($"unsupported expression {expr.GetType().Name}");
    }

    long? SliceBound(Expr? e, JinjaScope scope)
    {
        if (e == null) return null;
        return Eval(e, scope) switch
        {
            null => null,
            long l => l,
            bool b => b ? 1 : 0,
            var other => throw new JinjaRuntimeException($"slice indices must be integers or None, not {PyOps.TypeName(other)}"),
        };
    }

    object? EvalBinary(BinaryExpr b, JinjaScope scope)
    {
        var left = Eval(b.Left, scope);
        switch (b.Op)
        {
            case "and": return PyOps.Truthy(left) ? Eval(b.Right, scope) : left;
            case "or": return PyOps.Truthy(left) ? left : Eval(b.Right, scope);
            case "~": return PyFormat.Str(left) + PyFormat.Str(Eval(b.Right, scope));
            default: return PyOps.Arithmetic(b.Op, left, Eval(b.Right, scope));
        }
    }

    static bool CompareOp(string op, object? a, object? b) => op switch
    {
        "==" => PyOps.Equal(a, b),
        "!=" => !PyOps.Equal(a, b),
        "<" => PyOps.Compare(a, b, op) < 0,
        "<=" => PyOps.Compare(a, b, op) <= 0,
        ">" => PyOps.Compare(a, b, op) > 0,
        ">=" => PyOps.Compare(a, b, op) >= 0,
        "in" => PyOps.Contains(b, a),
        "not in" => !PyOps.Contains(b, a),
        _ => throw new JinjaRuntimeException($"unknown comparison '{op}'"),
    };
}
