using TuneSharp.Text;
namespace TuneSharp.Templates;

/// <summary>
/// Python semantics of template values: truthiness, equality, ordering, arithmetic, membership, iteration.
/// Values are null (None), bool, long (int), double (float), string, List (list), object?[] (tuple),
/// <see cref="PyDict"/>, <see cref="JinjaUndefined"/>, <see cref="JinjaNamespace"/>, <see cref="JinjaLoop"/>
/// and <see cref="JinjaFunction"/>.
/// </summary>
internal static class PyOps
{
    /// <summary>The Python type name used in error messages.</summary>
    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        object?[] => "tuple",
        PyDict => "dict",
        JinjaUndefined => "Undefined",
        JinjaNamespace => "Namespace",
        JinjaLoop => "LoopContext",
        JinjaFunction => "function",
        _ => v.GetType().Name,
    };

    public static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> l => l.Count > 0,
        object?[] t => t.Length > 0,
        PyDict d => d.Count > 0,
        JinjaUndefined => false,
        _ => true,
    };

    static bool IsNumber(object? v) => v is long or double or bool;

    static double AsDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new InvalidCastException(),
    };

    static long AsLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new InvalidCastException(),
    };

    static bool IsInt(object? v) => v is long or bool;

    /// <summary>Python <c>==</c>.</summary>
    public static bool Equal(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
            return IsInt(a) && IsInt(b) ? AsLong(a) == AsLong(b) : AsDouble(a) == AsDouble(b);
        switch (a)
        {
            case null: return b == null;
            case string s: return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case List<object?> l: return b is List<object?> m && SequenceEqual(l, m);
            case object?[] x: return b is object?[] y && SequenceEqual(x, y);
            case PyDict d:
                if (b is not PyDict e || d.Count != e.Count) return false;
                foreach (var kv in d.Items)
                    if (!e.TryGet(kv.Key, out var other) || !Equal(kv.Value, other)) return false;
                return true;
            case JinjaUndefined: return b is JinjaUndefined;
            default: return ReferenceEquals(a, b);
        }
    }

    static bool SequenceEqual(IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (!Equal(a[i], b[i])) return false;
        return true;
    }

    /// <summary>Python ordering (<c>&lt;</c> etc.): negative, zero or positive.</summary>
    public static int Compare(object? a, object? b, string op = "<")
    {
        if (a is JinjaUndefined ua) throw ua.Fail();
        if (b is JinjaUndefined ub) throw ub.Fail();
        if (IsNumber(a) && IsNumber(b))
            return IsInt(a) && IsInt(b) ? AsLong(a).CompareTo(AsLong(b)) : AsDouble(a).CompareTo(AsDouble(b));
        if (a is string s && b is string t) return Math.Sign(string.CompareOrdinal(s, t));
        if ((a is List<object?> && b is List<object?>) || (a is object?[] && b is object?[]))
        {
            var x = (IReadOnlyList<object?>)a;
            var y = (IReadOnlyList<object?>)b!;
            for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
                if (!Equal(x[i], y[i])) return Compare(x[i], y[i], op);
            return x.Count.CompareTo(y.Count);
        }
        throw new JinjaRuntimeException($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    static JinjaRuntimeException Unsupported(string op, object? a, object? b) =>
        new($"unsupported operand type(s) for {op}: '{TypeName(a)}' and '{TypeName(b)}'");

    static void FailIfUndefined(object? a, object? b)
    {
        if (a is JinjaUndefined ua) throw ua.Fail();
        if (b is JinjaUndefined ub) throw ub.Fail();
    }

    /// <summary>Python binary arithmetic: + - * / // % **.</summary>
    public static object? Arithmetic(string op, object? a, object? b)
    {
        FailIfUndefined(a, b);
        if (IsNumber(a) && IsNumber(b))
        {
            bool ints = IsInt(a) && IsInt(b);
            try
            {
                // Each arm is boxed on its own: a switch or ?: mixing long and double would widen ints to float.
                return op switch
                {
                    "+" => ints ? (object)checked(AsLong(a) + AsLong(b)) : AsDouble(a) + AsDouble(b),
                    "-" => ints ? (object)checked(AsLong(a) - AsLong(b)) : AsDouble(a) - AsDouble(b),
                    "*" => ints ? (object)checked(AsLong(a) * AsLong(b)) : AsDouble(a) * AsDouble(b),
                    "/" => AsDouble(b) == 0 ? throw new JinjaRuntimeException("division by zero") : (object)(AsDouble(a) / AsDouble(b)),
                    "//" => ints ? (object)FloorDiv(AsLong(a), AsLong(b)) : FloorMod(AsDouble(a), AsDouble(b), div: true),
                    "%" => ints ? (object)FloorMod(AsLong(a), AsLong(b)) : FloorMod(AsDouble(a), AsDouble(b), div: false),
                    "**" => ints && AsLong(b) >= 0 ? (object)IntPow(AsLong(a), AsLong(b)) : Math.Pow(AsDouble(a), AsDouble(b)),
                    _ => throw Unsupported(op, a, b),
                };
            }
            catch (OverflowException)
            {
                throw new JinjaRuntimeException($"integer overflow in '{op}'");
            }
        }
        switch (op)
        {
            case "+" when a is string s && b is string t: return s + t;
            case "+" when a is List<object?> l && b is List<object?> m: return new List<object?>([.. l, .. m]);
            case "+" when a is object?[] l && b is object?[] m: return (object?[])[.. l, .. m];
            case "+" when a is string:
                throw new JinjaRuntimeException($"can only concatenate str (not \"{TypeName(b)}\") to str");
            case "*" when a is string s && IsInt(b): return Repeat(s, AsLong(b));
            case "*" when IsInt(a) && b is string s: return Repeat(s, AsLong(a));
            case "*" when a is List<object?> l && IsInt(b): return RepeatList(l, AsLong(b));
            case "%" when a is string s: return PyFormat.Percent(s, b);
        }
        throw Unsupported(op, a, b);
    }

    static string Repeat(string s, long n) => n <= 0 ? "" : string.Concat(Enumerable.Repeat(s, (int)n));

    static List<object?> RepeatList(List<object?> l, long n)
    {
        var result = new List<object?>();
        for (long i = 0; i < n; i++) result.AddRange(l);
        return result;
    }

    static long FloorDiv(long a, long b)
    {
        if (b == 0) throw new JinjaRuntimeException("integer division or modulo by zero");
        long q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    static long FloorMod(long a, long b)
    {
        if (b == 0) throw new JinjaRuntimeException("integer division or modulo by zero");
        long r = a % b;
        return r != 0 && (r < 0) != (b < 0) ? r + b : r;
    }

    static double FloorMod(double a, double b, bool div)
    {
        if (b == 0) throw new JinjaRuntimeException("float division by zero");
        double q = Math.Floor(a / b);
        return div ? q : a - q * b;
    }

    static long IntPow(long a, long b)
    {
        long result = 1;
        for (long i = 0; i < b; i++) result = checked(result * a);
        return result;
    }

    /// <summary>Unary minus / plus.</summary>
    public static object? Negate(object? v, bool minus)
    {
        if (v is JinjaUndefined u) throw u.Fail();
        return v switch
        {
            long l => (object)(minus ? checked(-l) : l),
            bool b => (object)(minus ? -(b ? 1L : 0L) : (b ? 1L : 0L)),
            double d => (object)(minus ? -d : d),
            _ => throw new JinjaRuntimeException($"bad operand type for unary {(minus ? "-" : "+")}: '{TypeName(v)}'"),
        };
    }

    /// <summary>Python <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string s:
                if (item is string t) return s.Contains(t, StringComparison.Ordinal);
                if (item is JinjaUndefined u) throw u.Fail();
                throw new JinjaRuntimeException($"'in <string>' requires string as left operand, not {TypeName(item)}");
            case PyDict d: return d.ContainsKey(item);
            case JinjaUndefined: return false;
            case JinjaNamespace ns: return item is string key && ns.Attributes.ContainsKey(key);
            case IReadOnlyList<object?> list:
                foreach (var e in list)
                    if (Equal(e, item)) return true;
                return false;
        }
        throw new JinjaRuntimeException($"argument of type '{TypeName(container)}' is not iterable");
    }

    /// <summary>Python <c>iter(v)</c>, materialized: dict keys, string characters, undefined → nothing.</summary>
    public static IReadOnlyList<object?> Iterate(object? v) => v switch
    {
        List<object?> l => l,
        object?[] t => t,
        PyDict d => [.. d.Keys],
        string s => [.. PyText.Chars(s)],
        JinjaUndefined => [],
        JinjaNamespace ns => [.. ns.Attributes.Keys],
        _ => throw new JinjaRuntimeException($"'{TypeName(v)}' object is not iterable"),
    };

    /// <summary>Python <c>len(v)</c>; undefined has length 0 like jinja2's.</summary>
    public static long Length(object? v) => v switch
    {
        string s => PyText.Length(s),
        List<object?> l => l.Count,
        object?[] t => t.Length,
        PyDict d => d.Count,
        JinjaUndefined => 0,
        _ => throw new JinjaRuntimeException($"object of type '{TypeName(v)}' has no len()"),
    };
}
