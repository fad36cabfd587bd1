using System.Globalization;
using System.Text;

namespace TuneSharp.Templates;

/// <summary>
/// Python's <c>json.dumps</c>, as Hugging Face's <c>tojson</c> filter calls it: default separators
/// (", ", ": ") or (",", ": ") with an indent, <c>ensure_ascii</c> (HF's default is False), <c>sort_keys</c>.
/// </summary>
internal static class PyJson
{
    /// <summary>Serializes a template value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="indent">null for one line; else the indent string per level.</param>
    /// <param name="itemSeparator">null for Python's default.</param>
    /// <param name="keySeparator">null for Python's default.</param>
    /// <param name="ensureAscii">Escape non-ASCII as \uXXXX.</param>
    /// <param name="sortKeys">Sort object keys.</param>
    public static string Dumps(object? value, string? indent, string? itemSeparator, string? keySeparator, bool ensureAscii, bool sortKeys)
    {
        var w = new Writer(indent, itemSeparator ?? (indent == null ? ", " : ","), keySeparator ?? ": ", ensureAscii, sortKeys);
        w.Write(value, 0);
        return w.Sb.ToString();
    }

    sealed class Writer(string? indent, string itemSeparator, string keySeparator, bool ensureAscii, bool sortKeys)
    {
        public readonly StringBuilder Sb = new();

        void NewLine(int level)
        {
            if (indent == null) return;
            Sb.Append('\n');
            for (int i = 0; i < level; i++) Sb.Append(indent);
        }

        public void Write(object? v, int level)
        {
            switch (v)
            {
                case null: Sb.Append("null"); break;
                case bool b: Sb.Append(b ? "true" : "false"); break;
                case long l: Sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
                case double d: Sb.Append(Float(d)); break;
                case string s: WriteString(s); break;
                case List<object?> l: WriteArray(l, level); break;
                case object?[] t: WriteArray(t, level); break;
                case PyDict d: WriteObject(d, level); break;
                default:
                    throw new JinjaRuntimeException($"Object of type {PyOps.TypeName(v)} is not JSON serializable");
            }
        }

        static string Float(double d) =>
            double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : PyFormat.FloatRepr(d);

        void WriteArray(IReadOnlyList<object?> items, int level)
        {
            if (items.Count == 0)
            {
                Sb.Append("[]");
                return;
            }
            Sb.Append('[');
            for (int i = 0; i < items.Count; i++)
            {
                if (i > 0) Sb.Append(itemSeparator);
                NewLine(level + 1);
                Write(items[i], level + 1);
            }
            NewLine(level);
            Sb.Append(']');
        }

        void WriteObject(PyDict d, int level)
        {
            if (d.Count == 0)
            {
                Sb.Append("{}");
                return;
            }
            var entries = d.Items.Select(kv => (Key: KeyString(kv.Key), kv.Value)).ToList();
            if (sortKeys) entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            Sb.Append('{');
            for (int i = 0; i < entries.Count; i++)
            {
                if (i > 0) Sb.Append(itemSeparator);
                NewLine(level + 1);
                WriteString(entries[i].Key);
                Sb.Append(keySeparator);
                Write(entries[i].Value, level + 1);
            }
            NewLine(level);
            Sb.Append('}');
        }

        /// <summary>json.dumps turns int, float, bool and None keys into strings.</summary>
        static string KeyString(object key) => key switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => Float(d),
            _ => throw new JinjaRuntimeException($"keys must be str, int, float, bool or None, not {PyOps.TypeName(key)}"),
        };

        void WriteString(string s)
        {
            Sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': Sb.Append("\\\""); break;
                    case '\\': Sb.Append("\\\\"); break;
                    case '\n': Sb.Append("\\n"); break;
                    case '\r': Sb.Append("\\r"); break;
                    case '\t': Sb.Append("\\t"); break;
                    case '\b': Sb.Append("\\b"); break;
                    case '\f': Sb.Append("\\f"); break;
                    default:
                        if (c < 0x20 || (ensureAscii && c > 0x7e))
                            Sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else Sb.Append(c);
                        break;
                }
            }
            Sb.Append('"');
        }
    }
}
