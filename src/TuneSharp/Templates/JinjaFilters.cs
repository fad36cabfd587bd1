using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TuneSharp.Text;

namespace TuneSharp.Templates;

/// <summary>
/// jinja2's built-in filters chat templates use, with Hugging Face's <c>tojson</c> override
/// (<c>json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)</c>).
/// </summary>
internal static partial class JinjaFilters
{
    static readonly Dictionary<string, Func<object?, JinjaArgs, object?>> Filters = new(StringComparer.Ordinal)
    {
        ["abs"] = (v, _) => v switch
        {
            long l => (object)Math.Abs(l),
            double d => (object)Math.Abs(d),
            bool b => (object)(b ? 1L : 0L),
            _ => throw new JinjaRuntimeException($"bad operand type for abs(): '{PyOps.TypeName(v)}'"),
        },
        ["attr"] = (v, a) => Attr(v, a.GetString(0, "name") ?? ""),
        ["capitalize"] = (v, _) => PyText.Capitalize(PyFormat.Str(v)),
        ["center"] = (v, a) => Center(PyFormat.Str(v), (int)a.GetInt(0, "width", 80)),
        ["count"] = (v, _) => PyOps.Length(v),
        ["length"] = (v, _) => PyOps.Length(v),
        ["d"] = Default,
        ["default"] = Default,
        ["dictsort"] = DictSort,
        ["e"] = (v, _) => Escape(v),
        ["escape"] = (v, _) => Escape(v),
        ["forceescape"] = (v, _) => Escape(v),
        ["first"] = (v, _) => PyOps.Iterate(v) is { Count: > 0 } items ? items[0] : new JinjaUndefined("No first item, sequence was empty."),
        ["last"] = (v, _) => PyOps.Iterate(v) is { Count: > 0 } items ? items[^1] : new JinjaUndefined("No last item, sequence was empty."),
        ["float"] = ToFloat,
        ["int"] = ToInt,
        ["format"] = (v, a) => PyFormat.Percent(PyFormat.Str(v), a.Positional.ToArray()),
        ["indent"] = Indent,
        ["items"] = (v, _) => v switch
        {
            PyDict d => d.Items.Select(kv => (object?)new object?[] { kv.Key, kv.Value }).ToList(),
            JinjaUndefined => new List<object?>(),
            _ => throw new JinjaRuntimeException($"Can only get item pairs from a mapping, not {PyOps.TypeName(v)}"),
        },
        ["join"] = Join,
        ["list"] = (v, _) => PyOps.Iterate(v).ToList(),
        ["lower"] = (v, _) => PyFormat.Str(v).ToLowerInvariant(),
        ["upper"] = (v, _) => PyFormat.Str(v).ToUpperInvariant(),
        ["map"] = Map,
        ["max"] = (v, a) => MinMax(v, a, max: true),
        ["min"] = (v, a) => MinMax(v, a, max: false),
        ["select"] = (v, a) => Select(v, a, expect: true, byAttribute: false),
        ["reject"] = (v, a) => Select(v, a, expect: false, byAttribute: false),
        ["selectattr"] = (v, a) => Select(v, a, expect: true, byAttribute: true),
        ["rejectattr"] = (v, a) => Select(v, a, expect: false, byAttribute: true),
        ["replace"] = (v, a) => PyText.Replace(PyFormat.Str(v), PyFormat.Str(a.Get(0, "old")), PyFormat.Str(a.Get(1, "new")), a.GetInt(2, "count", -1)),
        ["reverse"] = (v, _) => v is string s ? string.Concat(PyText.Chars(s).AsEnumerable().Reverse()) : PyOps.Iterate(v).Reverse().ToList(),
        ["round"] = Round,
        ["safe"] = (v, _) => v,
        ["sort"] = Sort,
        ["string"] = (v, _) => PyFormat.Str(v),
        ["sum"] = Sum,
        ["title"] = (v, _) => Title(PyFormat.Str(v)),
        ["tojson"] = ToJson,
        ["trim"] = (v, a) => PyText.Strip(PyFormat.Str(v), a.GetString(0, "chars")),
        ["unique"] = Unique,
        ["wordcount"] = (v, _) => (long)WordRegex().Count(PyFormat.Str(v)),
    };

    public static bool Exists(string name) => Filters.ContainsKey(name);

    /// <summary>Applies filter <paramref name="name"/>; an unknown filter is an error, as in jinja2.</summary>
    public static object? Apply(string name, object? value, JinjaArgs args)
    {
        if (!Filters.TryGetValue(name, out var filter)) throw new JinjaRuntimeException($"No filter named '{name}'.");
        return filter(value, args);
    }

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"([-\s({\[<]+)")]
    private static partial Regex WordBeginningRegex();

    /// <summary>jinja2's <c>title</c> (not Python's): capitalizes each word split on spaces and -([{&lt;.</summary>
    static string Title(string s) => string.Concat(WordBeginningRegex().Split(s)
        .Where(item => item.Length > 0)
        .Select(item => char.ToUpperInvariant(item[0]) + item[1..].ToLowerInvariant()));

    static object? Attr(object? v, string name) => v switch
    {
        JinjaUndefined u => throw u.Fail(),
        JinjaNamespace or JinjaLoop => JinjaAccess.GetAttr(v, name),
        _ => JinjaMethods.TryBind(v, name, out var m) ? m : JinjaUndefined.ForAttribute(v, name),
    };

    /// <summary>jinja2's dotted attribute path ("a.b", "items.0") as used by map, sort, selectattr...</summary>
    static object? Attribute(object? item, string path)
    {
        foreach (var part in path.Split('.'))
            item = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long i)
                ? JinjaAccess.GetItem(item, i)
                : JinjaAccess.GetItem(item, part);
        return item;
    }

    static object? Default(object? v, JinjaArgs a)
    {
        var fallback = a.Get(0, "default_value", "");
        bool boolean = a.GetBool(1, "boolean", false);
        return v is JinjaUndefined || (boolean && !PyOps.Truthy(v)) ? fallback : v;
    }

    static object? DictSort(object? v, JinjaArgs a)
    {
        if (v is not PyDict d) throw new JinjaRuntimeException("dictsort expects a mapping");
        bool caseSensitive = a.GetBool(0, "case_sensitive", false);
        string by = a.GetString(1, "by", "key") ?? "key";
        bool reverse = a.GetBool(2, "reverse", false);
        int pos = by == "key" ? 0 : by == "value" ? 1 : throw new JinjaRuntimeException("You can only sort by either \"key\" or \"value\"");
        var pairs = d.Items.Select(kv => new object?[] { kv.Key, kv.Value }).ToList();
        var sorted = StableSort(pairs, p => SortKey(p[pos], caseSensitive), reverse);
        return sorted.Select(p => (object?)p).ToList();
    }

    static object? SortKey(object? v, bool caseSensitive) => !caseSensitive && v is string s ? s.ToLowerInvariant() : v;

    static List<T> StableSort<T>(List<T> items, Func<T, object?> key, bool reverse)
    {
        var keyed = items.Select((item, i) => (item, key: key(item), i)).ToList();
        keyed.Sort((x, y) =>
        {
            int c = PyOps.Compare(x.key, y.key);
            if (reverse) c = -c;
            return c != 0 ? c : x.i.CompareTo(y.i);
        });
        return keyed.Select(x => x.item).ToList();
    }

    static string Escape(object? v)
    {
        var s = PyFormat.Str(v);
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&#34;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    static string Center(string s, int width)
    {
        int len = PyText.Length(s);
        if (width <= len) return s;
        int total = width - len;
        // Python's str.center puts the extra space on the right for odd totals when the length is even.
        int left = total / 2 + (total & width & 1);
        return new string(' ', left) + s + new string(' ', total - left);
    }

    static object? ToFloat(object? v, JinjaArgs a)
    {
        var dflt = a.Get(0, "default", 0.0);
        return v switch
        {
            double d => d,
            long l => (double)l,
            bool b => b ? 1.0 : 0.0,
            string s when double.TryParse(PyText.Strip(s, null), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => dflt,
        };
    }

    static object? ToInt(object? v, JinjaArgs a)
    {
        var dflt = a.Get(0, "default", 0L);
        int numberBase = (int)a.GetInt(1, "base", 10);
        switch (v)
        {
            case long l: return l;
            case bool b: return b ? 1L : 0L;
            case double d when !double.IsNaN(d) && !double.IsInfinity(d): return (long)Math.Truncate(d);
            case string s:
                var t = PyText.Strip(s, null).Replace("_", "");
                try
                {
                    if (numberBase == 10 && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long i)) return i;
                    if (numberBase != 10) return Convert.ToInt64(t, numberBase);
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                    return dflt;
                }
                // jinja2 falls back to int(float(s)): "3.7" → 3.
                return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && !double.IsNaN(f) && !double.IsInfinity(f)
                    ? (long)Math.Truncate(f)
                    : dflt;
            default: return dflt;
        }
    }

    static object? Indent(object? v, JinjaArgs a)
    {
        var width = a.Get(0, "width", 4L);
        string indentation = width is string ws ? ws : new string(' ', (int)(width is long l ? l : 4));
        bool first = a.GetBool(1, "first", false), blank = a.GetBool(2, "blank", false);
        var lines = PyText.Split(PyFormat.Str(v) + "\n", "\n", -1).Select(x => (string)x!).ToList();
        lines.RemoveAt(lines.Count - 1);
        string result;
        if (blank) result = string.Join("\n" + indentation, lines);
        else
        {
            result = lines[0];
            if (lines.Count > 1)
                result += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indentation + line : line));
        }
        return first ? indentation + result : result;
    }

    static object? Join(object? v, JinjaArgs a)
    {
        string separator = PyFormat.Str(a.Get(0, "d", ""));
        var attribute = a.GetString(1, "attribute");
        var items = PyOps.Iterate(v).Select(x => attribute != null ? Attribute(x, attribute) : x);
        return string.Join(separator, items.Select(PyFormat.Str));
    }

    static object? Map(object? v, JinjaArgs a)
    {
        var items = PyOps.Iterate(v);
        if (a.Keyword.TryGetValue("attribute", out var attr))
        {
            string path = PyFormat.Str(attr);
            bool hasDefault = a.Keyword.TryGetValue("default", out var dflt);
            return items.Select(x =>
            {
                var value = Attribute(x, path);
                return hasDefault && value is JinjaUndefined ? dflt : value;
            }).ToList();
        }
        if (a.Positional.Count == 0) throw new JinjaRuntimeException("map requires a filter name or attribute=");
        string filter = PyFormat.Str(a.Positional[0]);
        var rest = new JinjaArgs(a.Positional.Skip(1).ToList(), a.Keyword);
        return items.Select(x => Apply(filter, x, rest)).ToList();
    }

    static object? MinMax(object? v, JinjaArgs a, bool max)
    {
        bool caseSensitive = a.GetBool(0, "case_sensitive", false);
        var attribute = a.GetString(1, "attribute");
        var items = PyOps.Iterate(v);
        if (items.Count == 0) return new JinjaUndefined($"No aggregated item, sequence was empty.");
        object? best = items[0];
        object? Key(object? x) => SortKey(attribute != null ? Attribute(x, attribute) : x, caseSensitive);
        foreach (var x in items.Skip(1))
        {
            int c = PyOps.Compare(Key(x), Key(best));
            if (max ? c > 0 : c < 0) best = x;
        }
        return best;
    }

    static object? Select(object? v, JinjaArgs a, bool expect, bool byAttribute)
    {
        int next = 0;
        string? attribute = byAttribute ? PyFormat.Str(a.Get(next++, "attr")) : null;
        string? test = a.Positional.Count > next ? PyFormat.Str(a.Positional[next++]) : null;
        var testArgs = new JinjaArgs(a.Positional.Skip(next).ToList(), []);
        var result = new List<object?>();
        foreach (var item in PyOps.Iterate(v))
        {
            var subject = attribute != null ? Attribute(item, attribute) : item;
            bool passed = test == null ? PyOps.Truthy(subject) : JinjaTests.Apply(test, subject, testArgs);
            if (passed == expect) result.Add(item);
        }
        return result;
    }

    static object? Round(object? v, JinjaArgs a)
    {
        int precision = (int)a.GetInt(0, "precision", 0);
        string method = a.GetString(1, "method", "common") ?? "common";
        double value = v switch
        {
            double d => d,
            long l => l,
            bool b => b ? 1 : 0,
            _ => throw new JinjaRuntimeException($"type {PyOps.TypeName(v)} doesn't define __round__ method"),
        };
        double scale = Math.Pow(10, precision);
        return method switch
        {
            "common" => Math.Round(value, Math.Clamp(precision, 0, 15), MidpointRounding.ToEven),
            "ceil" => Math.Ceiling(value * scale) / scale,
            "floor" => Math.Floor(value * scale) / scale,
            _ => throw new JinjaRuntimeException("method must be common, ceil or floor"),
        };
    }

    static object? Sort(object? v, JinjaArgs a)
    {
        bool reverse = a.GetBool(0, "reverse", false);
        bool caseSensitive = a.GetBool(1, "case_sensitive", false);
        var attribute = a.GetString(2, "attribute");
        return StableSort(PyOps.Iterate(v).ToList(), x => SortKey(attribute != null ? Attribute(x, attribute) : x, caseSensitive), reverse);
    }

    static object? Sum(object? v, JinjaArgs a)
    {
        var attribute = a.GetString(0, "attribute");
        object? total = a.Get(1, "start", 0L);
        foreach (var x in PyOps.Iterate(v)) total = PyOps.Arithmetic("+", total, attribute != null ? Attribute(x, attribute) : x);
        return total;
    }

    static object? Unique(object? v, JinjaArgs a)
    {
        bool caseSensitive = a.GetBool(0, "case_sensitive", false);
        var attribute = a.GetString(1, "attribute");
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (var x in PyOps.Iterate(v))
        {
            var key = SortKey(attribute != null ? Attribute(x, attribute) : x, caseSensitive);
            if (seen.Any(s => PyOps.Equal(s, key))) continue;
            seen.Add(key);
            result.Add(x);
        }
        return result;
    }

    static object? ToJson(object? v, JinjaArgs a)
    {
        bool ensureAscii = a.GetBool(0, "ensure_ascii", false);
        string? indent = a.Get(1, "indent") switch
        {
            null => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            string s => s,
            var other => throw new JinjaRuntimeException($"tojson: indent must be an int or a string, not {PyOps.TypeName(other)}"),
        };
        string? itemSep = null, keySep = null;
        if (a.Get(2, "separators") is IReadOnlyList<object?> { Count: 2 } seps)
        {
            itemSep = PyFormat.Str(seps[0]);
            keySep = PyFormat.Str(seps[1]);
        }
        bool sortKeys = a.GetBool(3, "sort_keys", false);
        return PyJson.Dumps(v, indent, itemSep, keySep, ensureAscii, sortKeys);
    }
}
