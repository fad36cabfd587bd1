namespace TuneSharp.Templates;

/// <summary>
/// The global functions a chat template sees: jinja2's <c>range</c>, <c>namespace</c>, <c>dict</c>, and
/// Hugging Face's <c>raise_exception</c> and <c>strftime_now</c>.
/// </summary>
internal static class JinjaGlobals
{
    /// <summary>A scope holding the globals; <paramref name="now"/> supplies <c>strftime_now</c>'s clock.</summary>
    public static JinjaScope Create(Func<DateTime> now)
    {
        var scope = new JinjaScope(null);
        scope.Set("range", new JinjaFunction("range", (args, _) => Range(args)));
        scope.Set("namespace", new JinjaFunction("namespace", (args, kwargs) =>
        {
            var ns = new JinjaNamespace();
            foreach (var a in args)
            {
                if (a is not PyDict d) throw new JinjaRuntimeException("namespace() accepts only a mapping positionally");
                foreach (var kv in d.Items) ns.Attributes[PyFormat.Str(kv.Key)] = kv.Value;
            }
            foreach (var kv in kwargs) ns.Attributes[kv.Key] = kv.Value;
            return ns;
        }));
        scope.Set("dict", new JinjaFunction("dict", (args, kwargs) =>
        {
            var d = new PyDict();
            if (args.Count > 0 && args[0] is PyDict src)
                foreach (var kv in src.Items) d[kv.Key] = kv.Value;
            foreach (var kv in kwargs) d[kv.Key] = kv.Value;
            return d;
        }));
        scope.Set("raise_exception", new JinjaFunction("raise_exception", (args, kwargs) =>
            throw TemplateErrors.Raised(PyFormat.Str(args.Count > 0 ? args[0] : kwargs.GetValueOrDefault("message")))));
        scope.Set("strftime_now", new JinjaFunction("strftime_now", (args, kwargs) =>
            PyStrftime.Format(now(), PyFormat.Str(args.Count > 0 ? args[0] : kwargs.GetValueOrDefault("format")))));
        return scope;
    }

    static List<object?> Range(List<object?> args)
    {
        long Int(object? v) => v is long l ? l : v is bool b ? (b ? 1 : 0)
            : throw new JinjaRuntimeException($"'{PyOps.TypeName(v)}' object cannot be interpreted as an integer");
        long start = 0, stop, step = 1;
        switch (args.Count)
        {
            case 1: stop = Int(args[0]); break;
            case 2: start = Int(args[0]); stop = Int(args[1]); break;
            case 3: start = Int(args[0]); stop = Int(args[1]); step = Int(args[2]); break;
            default: throw new JinjaRuntimeException($"range expected 1 to 3 arguments, got {args.Count}");
        }
        if (step == 0) throw new JinjaRuntimeException("range() arg 3 must not be zero");
        // The sandbox caps ranges (MAX_RANGE = 100000) so a template cannot exhaust memory.
        long count = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
        if (count > 100_000) throw new JinjaRuntimeException("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
        var list = new List<object?>((int)count);
        for (long i = 0; i < count; i++) list.Add(start + i * step);
        return list;
    }
}
