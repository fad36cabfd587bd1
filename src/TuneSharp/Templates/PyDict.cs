namespace TuneSharp.Templates;

/// <summary>
/// A Python dict at template run time: insertion-ordered, with Python key equality (1 == 1.0 == True).
/// </summary>
internal sealed class PyDict
{
    readonly OrderedDictionary<object, object?> items = new(KeyComparer.Instance);

    public int Count => items.Count;

    public IEnumerable<object> Keys => items.Keys;

    public IEnumerable<KeyValuePair<object, object?>> Items => items;

    public object? this[object key]
    {
        set => items[CheckKey(key)] = value;
    }

    public bool TryGet(object? key, out object? value)
    {
        value = null;
        return key != null && IsHashable(key) && items.TryGetValue(key, out value);
    }

    public bool ContainsKey(object? key) => key != null && IsHashable(key) && items.ContainsKey(key);

    static bool IsHashable(object key) => key is string or long or double or bool || key is object?[];

    static object CheckKey(object? key)
    {
        if (key == null || !IsHashable(key))
            throw new JinjaRuntimeException($"unhashable dict key of type '{PyOps.TypeName(key)}'");
        return key;
    }

    /// <summary>Hashes and compares keys the way Python does for str, int, float, bool and tuples.</summary>
    sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) => PyOps.Equal(x, y);

        public int GetHashCode(object obj) => obj switch
        {
            string s => StringComparer.Ordinal.GetHashCode(s),
            bool b => b ? 1 : 0,
            long l => l.GetHashCode(),
            double d => d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? ((long)d).GetHashCode() : d.GetHashCode(),
            object?[] t => t.Aggregate(17, (h, e) => h * 31 + (e == null ? 0 : GetHashCode(e))),
            _ => 0,
        };
    }
}
