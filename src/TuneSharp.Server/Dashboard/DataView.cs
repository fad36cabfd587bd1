using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Audit;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Validation;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// The Data page: data files under one folder the user named (<c>--data</c>; none by default, so that nothing
/// beyond the runs folder is served unless asked), each with the validation summary of <c>tunesharp data validate</c>
/// and the likely label errors of <c>tunesharp data audit</c>, paged. An audit retrains its out-of-fold classifier,
/// so its result is kept per file, fields and modification time.
/// </summary>
public sealed class DataView(string? dataDir)
{
    static readonly string[] Extensions = [".jsonl", ".json", ".csv", ".tsv", ".parquet", ".conll", ".txt"];
    const int MaxFiles = 500, MaxDepth = 4;

    readonly ConcurrentDictionary<string, Lazy<AuditReport>> audits = new(StringComparer.Ordinal);

    public string? Root { get; } = dataDir is null ? null : Path.GetFullPath(dataDir);

    /// <summary>Data files under the root, relative paths with '/', sorted; empty without a root.</summary>
    public IReadOnlyList<string> Files()
    {
        if (Root is null) return [];
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(Root, "*", options)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).Take(MaxFiles).ToList();
    }

    /// <summary>The validation report of one file as JSON (the same as <c>data validate --json</c>).</summary>
    public JsonNode Validate(string? file, string? textField, string? labelField)
    {
        var path = Resolve(file);
        var options = new ValidationOptions { Fields = Fields(textField, labelField) };
        var report = DataValidator.Validate([path], options);
        using var text = new StringWriter();
        ReportWriter.WriteJson(report, text);
        var json = JsonNode.Parse(text.ToString())!;
        // The page names the file as it was asked for, not by the server's full path.
        foreach (var list in new[] { "files", "problems" })
            foreach (var item in json[list]?.AsArray() ?? [])
                if (item is JsonObject o && o.ContainsKey("file")) o["file"] = file;
        return json;
    }

    /// <summary>One page of the audit's flags, most suspicious first, with the audit's summary.</summary>
    public JsonObject Audit(string? file, string? textField, string? labelField, int offset, int limit)
    {
        var path = Resolve(file);
        if (offset < 0) throw new UserError("offset: must be 0 or more");
        if (limit is < 1 or > 200) throw new UserError("limit: must be between 1 and 200");
        var options = new AuditOptions { TextField = textField ?? "text", LabelField = labelField ?? "label" };
        string key = string.Join('\n', path, File.GetLastWriteTimeUtc(path).Ticks, options.TextField, options.LabelField);
        var lazy = audits.GetOrAdd(key, _ => new Lazy<AuditReport>(() => LabelNoiseAudit.Run(DataSources.Open(path), options)));
        AuditReport report;
        try { report = lazy.Value; }
        catch { audits.TryRemove(key, out _); throw; } // a failed audit (bad field, say) is not kept
        var flags = report.Issues.Skip(offset).Take(limit).Select((issue, i) =>
        {
            var flag = issue.ToJson(offset + i + 1, options.TextField);
            flag["file"] = file; // as asked for, not the server's full path
            return (JsonNode)flag;
        });
        return new JsonObject
        {
            ["file"] = file, ["examples"] = report.Examples, ["classes"] = report.Classes.Count,
            ["out_of_fold_accuracy"] = Math.Round(report.OutOfFoldAccuracy, 4), ["classifier"] = report.Classifier,
            ["flagged"] = report.Issues.Count, ["offset"] = offset, ["limit"] = limit,
            ["flags"] = new JsonArray(flags.ToArray()),
        };
    }

    /// <summary>The full path of a listed data file; a user error for anything else (outside the root included).</summary>
    public string Resolve(string? file)
    {
        if (Root is null) throw new UserError("no data folder: start the dashboard with --data DIR");
        if (string.IsNullOrEmpty(file)) throw new UserError("file: give a data file, e.g. ?file=train.jsonl");
        if (SafePath.Resolve(Root, file) is not { } path || !File.Exists(path)
            || !Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
            throw new UserError($"file: no data file {file} in the data folder");
        return path;
    }

    static FieldNames Fields(string? text, string? label)
    {
        var pairs = new List<string>();
        if (!string.IsNullOrEmpty(text)) pairs.Add("text=" + text);
        if (!string.IsNullOrEmpty(label)) pairs.Add("label=" + label);
        return FieldNames.Parse(pairs, "field");
    }
}
