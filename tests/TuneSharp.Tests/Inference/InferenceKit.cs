using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Tests.Cli;

namespace TuneSharp.Tests.Inference;

/// <summary>Temp folders, JSONL files and CLI calls for the inference tests.</summary>
internal sealed class InferenceKit : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("tunesharp-inference-").FullName;

    public void Dispose() => Directory.Delete(Dir, true);

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    /// <summary>Writes JSON object literals as a JSONL file; returns its path.</summary>
    public string Jsonl(string name, params string[] lines)
    {
        var path = Path(name);
        File.WriteAllLines(path, lines);
        return path;
    }

    public static List<JsonObject> ReadJsonl(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();

    public static CliHarness.Result Predict(params string[] args) => CliHarness.Run(PredictCommand.Create(), ["predict", .. args]);

    public static CliHarness.Result Eval(params string[] args) => CliHarness.Run(EvalCommand.Create(), ["eval", .. args]);

    /// <summary>Asserts a user error: exit 2 and exactly one line on stderr containing every fragment.</summary>
    public static void AssertOneLineError(CliHarness.Result r, params string[] fragments)
    {
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        foreach (var f in fragments) Assert.Contains(f, lines[0], StringComparison.Ordinal);
    }
}
