using TuneSharp.Training;

namespace TuneSharp.Probing;

/// <summary>What <c>tunesharp probe</c> runs. The caps keep a default run on MiniLM within minutes on a 2-core CPU.</summary>
public sealed record ProbeOptions
{
    /// <summary>A BERT-family encoder folder, or a known encoder name (minilm) resolved to its imported folder.</summary>
    public required string Model { get; init; }

    /// <summary>A Brown folder written by <c>tunesharp data fetch brown</c> (pos/ and genre-passages/).</summary>
    public required string Data { get; init; }

    /// <summary>Where the table, plot and JSON go.</summary>
    public required string Output { get; init; }

    /// <summary>The probing tasks, from <see cref="ProbeTasks"/>.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ProbeTasks.All;

    /// <summary>Training rows per task: words for pos (whole sentences until reached), passages for genre; null for <see cref="DefaultTrainRows"/>.</summary>
    public int? MaxTrain { get; init; }

    /// <summary>Validation rows and test rows per task (each), counted as <see cref="MaxTrain"/>; null for <see cref="DefaultEvalRows"/>.</summary>
    public int? MaxEval { get; init; }

    /// <summary>
    /// The default caps. Word rows cost little to read but much to fit ((grid + 1) × layers regressions over ~60 tags);
    /// passages are the reverse (~100 tokens each through the encoder, 15 genres), hence different counts.
    /// </summary>
    public static int DefaultTrainRows(string task) => task == ProbeTasks.Pos ? 2000 : 1000;

    /// <inheritdoc cref="DefaultTrainRows"/>
    public static int DefaultEvalRows(string task) => task == ProbeTasks.Pos ? 1000 : 500;

    /// <summary>The training-row cap of <paramref name="task"/>.</summary>
    public int TrainRows(string task) => MaxTrain ?? DefaultTrainRows(task);

    /// <summary>The validation- and test-row cap of <paramref name="task"/>.</summary>
    public int EvalRows(string task) => MaxEval ?? DefaultEvalRows(task);

    /// <summary>The row cap of <paramref name="task"/>'s <paramref name="split"/> (train, validation or test).</summary>
    public int RowCap(string task, string split) => split == "train" ? TrainRows(task) : EvalRows(task);

    /// <summary>Tokens per input, special tokens included (longer inputs are truncated; a word cut off is not probed).</summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>Inputs per forward pass.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seeds the samples and the control labels.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The L2 penalties tried per layer (those of the frozen-features method).</summary>
    public IReadOnlyList<double> L2Grid { get; init; } = FrozenFeatures.DefaultL2Grid;

    /// <summary>Iteration cap and tolerance of each regression.</summary>
    public ProbeSolver Solver { get; init; } = new();

    /// <summary>auto, cpu or cuda (the encoder's forward; the regressions run on the CPU).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>A <see cref="UserError"/> for the first option that cannot work, before anything is loaded.</summary>
    public void Validate()
    {
        if (MaxTrain is <= 0) throw new UserError("--max-train: must be positive");
        if (MaxEval is <= 0) throw new UserError("--max-eval: must be positive");
        if (MaxLength < 3) throw new UserError("--max-length: must be at least 3 ([CLS], a token, [SEP])");
        if (BatchSize <= 0) throw new UserError("--batch-size: must be positive");
        if (Solver.MaxIterations <= 0) throw new UserError("--max-iterations: must be positive");
        if (Tasks.Count == 0) throw new UserError("--task: no task to probe");
        foreach (var task in Tasks)
            foreach (var split in ProbeExamples.SplitNames) ProbeExamples.File(Data, task, split);
    }
}

/// <summary>The probing tasks: part of speech per word (token level) and genre per passage (sequence level).</summary>
public static class ProbeTasks
{
    /// <summary>Brown part-of-speech tags, read at each word's first sub-token.</summary>
    public const string Pos = "pos";

    /// <summary>Brown genre (15 classes) of a passage, read from the mean over its tokens.</summary>
    public const string Genre = "genre";

    /// <summary>Both tasks, token level first.</summary>
    public static readonly IReadOnlyList<string> All = [Pos, Genre];

    /// <summary>pos, genre or both.</summary>
    public static IReadOnlyList<string> Parse(string value) => value switch
    {
        Pos => [Pos],
        Genre => [Genre],
        "both" => All,
        _ => throw new UserError($"--task: '{value}' is not pos, genre or both"),
    };
}
