using System.Reflection;
using static TorchSharp.torch;

namespace TuneSharp.Adapters;

/// <summary>
/// Finds and swaps submodules by path. TorchSharp keeps a module's children twice: in the C# field the forward
/// pass reads, and in the registry that <c>state_dict</c>/<c>named_parameters</c> walk. A swap must update both:
/// the field is found by reference and set, and the registry entry is replaced with <c>register_module</c>
/// (which refuses an existing name, so the old entry is removed first by registering null).
/// </summary>
internal static class ModuleTree
{
    /// <summary>Every submodule by dotted path (the root itself excluded).</summary>
    public static Dictionary<string, nn.Module> ByPath(nn.Module root)
    {
        var all = new Dictionary<string, nn.Module>(StringComparer.Ordinal);
        foreach (var (name, module) in root.named_modules())
            if (name.Length > 0) all[name] = module;
        return all;
    }

    /// <summary>The module at <paramref name="path"/> ("" is the root).</summary>
    public static nn.Module At(nn.Module root, string path)
    {
        if (path.Length == 0) return root;
        var node = root;
        foreach (var part in path.Split('.'))
            node = node.named_children().FirstOrDefault(c => string.Equals(c.name, part, StringComparison.Ordinal)).module
                ?? throw new InvalidOperationException($"no module '{path}'");
        return node;
    }

    /// <summary>
    /// Puts <paramref name="replacement"/> where the module at <paramref name="path"/> is. Children after it are
    /// re-registered too, so the registry (and hence <c>state_dict</c>) keeps its order.
    /// </summary>
    /// <exception cref="InvalidOperationException">The parent holds the child in no field of a type that accepts
    /// the replacement (e.g. a field declared as the sealed <c>Linear</c>, or a ModuleList entry).</exception>
    public static void Replace(nn.Module root, string path, nn.Module replacement)
    {
        int dot = path.LastIndexOf('.');
        var parent = At(root, dot < 0 ? "" : path[..dot]);
        string name = dot < 0 ? path : path[(dot + 1)..];
        var children = parent.named_children().ToList();
        int index = children.FindIndex(c => string.Equals(c.name, name, StringComparison.Ordinal));
        if (index < 0) throw new InvalidOperationException($"no module '{path}'");
        var old = children[index].module;

        var field = FieldHolding(parent, old) ?? throw new InvalidOperationException(
            $"module '{path}' is not held in a field of {parent.GetType().Name}, so it cannot be replaced");
        if (!field.FieldType.IsInstanceOfType(replacement))
            throw new InvalidOperationException(
                $"{parent.GetType().Name}.{field.Name} is declared {field.FieldType.Name}; it cannot hold a {replacement.GetType().Name}"
                + " (declare it as Module<Tensor, Tensor>)");

        for (int i = index; i < children.Count; i++) parent.register_module(children[i].name, null!);
        field.SetValue(parent, replacement);
        for (int i = index; i < children.Count; i++)
            parent.register_module(children[i].name, i == index ? replacement : children[i].module);
    }

    static FieldInfo? FieldHolding(nn.Module parent, nn.Module child)
    {
        for (var type = parent.GetType(); type is not null && type != typeof(nn.Module); type = type.BaseType)
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (ReferenceEquals(field.GetValue(parent), child)) return field;
        return null;
    }
}
