namespace TuneSharp.Templates;

// The syntax tree of a parsed template. Every node keeps its template line for error messages.

/// <summary>An expression.</summary>
internal abstract record Expr(int Line);

internal sealed record ConstExpr(int Line, object? Value) : Expr(Line);

internal sealed record NameExpr(int Line, string Name) : Expr(Line);

internal sealed record ListExpr(int Line, List<Expr> Items) : Expr(Line);

internal sealed record TupleExpr(int Line, List<Expr> Items) : Expr(Line);

internal sealed record DictExpr(int Line, List<(Expr Key, Expr Value)> Entries) : Expr(Line);

/// <summary><c>obj.name</c>: attribute first, then item (jinja2's <c>getattr</c>).</summary>
internal sealed record AttrExpr(int Line, Expr Target, string Name) : Expr(Line);

/// <summary><c>obj[key]</c>: item first, then attribute (jinja2's <c>getitem</c>).</summary>
internal sealed record ItemExpr(int Line, Expr Target, Expr Key) : Expr(Line);

/// <summary>A slice <c>start:stop:step</c>, only as the key of an <see cref="ItemExpr"/>.</summary>
internal sealed record SliceExpr(int Line, Expr? Start, Expr? Stop, Expr? Step) : Expr(Line);

/// <summary>Positional and keyword arguments of a call, filter or test.</summary>
internal sealed record Arguments(List<Expr> Positional, List<(string Name, Expr Value)> Keyword)
{
    public static readonly Arguments None = new([], []);
}

internal sealed record CallExpr(int Line, Expr Callee, Arguments Args) : Expr(Line);

/// <summary><c>value | name(args)</c>; <see cref="Value"/> is null inside a filter block or block set.</summary>
internal sealed record FilterExpr(int Line, Expr? Value, string Name, Arguments Args) : Expr(Line);

/// <summary><c>value is name(args)</c>.</summary>
internal sealed record TestExpr(int Line, Expr Value, string Name, Arguments Args) : Expr(Line);

/// <summary>Unary <c>not</c>, <c>-</c>, <c>+</c>.</summary>
internal sealed record UnaryExpr(int Line, string Op, Expr Operand) : Expr(Line);

/// <summary>Arithmetic, <c>~</c>, <c>and</c>, <c>or</c>.</summary>
internal sealed record BinaryExpr(int Line, string Op, Expr Left, Expr Right) : Expr(Line);

/// <summary>A comparison chain <c>a &lt; b == c</c>, including <c>in</c> and <c>not in</c>.</summary>
internal sealed record CompareExpr(int Line, Expr First, List<(string Op, Expr Operand)> Rest) : Expr(Line);

/// <summary><c>then if test else otherwise</c>; a missing else yields undefined.</summary>
internal sealed record CondExpr(int Line, Expr Test, Expr Then, Expr? Otherwise) : Expr(Line);

/// <summary>An assignment target of <c>for</c> or <c>set</c>.</summary>
internal abstract record Target(int Line);

internal sealed record NameTarget(int Line, string Name) : Target(Line);

internal sealed record TupleTarget(int Line, List<Target> Items) : Target(Line);

/// <summary><c>ns.attr</c> in <c>{% set ns.attr = ... %}</c>.</summary>
internal sealed record AttrTarget(int Line, string Owner, string Attribute) : Target(Line);

/// <summary>A statement.</summary>
internal abstract record Stmt(int Line);

internal sealed record DataStmt(int Line, string Text) : Stmt(Line);

internal sealed record OutputStmt(int Line, Expr Value) : Stmt(Line);

internal sealed record IfStmt(int Line, List<(Expr Test, List<Stmt> Body)> Branches, List<Stmt>? Else) : Stmt(Line);

internal sealed record ForStmt(int Line, Target Target, Expr Iterable, Expr? Filter, List<Stmt> Body, List<Stmt>? Else, bool Recursive) : Stmt(Line);

internal sealed record SetStmt(int Line, Target Target, Expr Value) : Stmt(Line);

/// <summary><c>{% set name | filters %}body{% endset %}</c>; filters are chained <see cref="FilterExpr"/>s on a null value.</summary>
internal sealed record SetBlockStmt(int Line, Target Target, List<FilterExpr> Filters, List<Stmt> Body) : Stmt(Line);

internal sealed record MacroStmt(int Line, string Name, List<(string Name, Expr? Default)> Parameters, List<Stmt> Body) : Stmt(Line);

/// <summary><c>{% call macro(args) %}body{% endcall %}</c>: the body becomes the macro's <c>caller()</c>.</summary>
internal sealed record CallBlockStmt(int Line, CallExpr Call, List<string> CallerParameters, List<Stmt> Body) : Stmt(Line);

internal sealed record FilterBlockStmt(int Line, List<FilterExpr> Filters, List<Stmt> Body) : Stmt(Line);

internal sealed record BreakStmt(int Line) : Stmt(Line);

internal sealed record ContinueStmt(int Line) : Stmt(Line);

/// <summary>Hugging Face's <c>{% generation %}</c> marks assistant text for masks; rendering passes it through.</summary>
internal sealed record GenerationStmt(int Line, List<Stmt> Body) : Stmt(Line);
