using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TuneSharp.Cli.Progress;
using TuneSharp.Tuning;
using TuneSharp.Tuning.Storage;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp tune SEARCH.yaml</c>: a hyperparameter search over a recipe (samplers, pruners, SQLite or PostgreSQL
/// storage, resumable); <c>tunesharp tune report</c>: the report, best recipe and charts of any stored study.
/// </summary>
public static class TuneCommand
{
    public static Command Create()
    {
        var search = new Argument<string>("search") { Description = "Search file (YAML beside a recipe: params, fixed keys, sampler, pruner, trials)" };
        var storage = new Option<string?>("--storage") { Description = "postgresql://user:pass@host:port/db (shared by --worker processes) or a SQLite file (default runs/<study>/study.db)" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the search file's 'study', or its name)" };
        var trials = new Option<string?>("--trials") { Description = "Trials in the study (overrides the search file)" };
        var sampler = new Option<string?>("--sampler") { Description = "random, grid or tpe (overrides the search file)" };
        var pruner = new Option<string?>("--pruner") { Description = "none, median or asha (overrides the search file)" };
        var seed = new Option<string?>("--seed") { Description = "Sampler seed (overrides the search file)" };
        var worker = new Option<bool>("--worker") { Description = "Join the study as one of several workers: plain log lines, no final report (run `tune report`)" };
        var runs = new Option<string>("--runs-dir") { Description = "Folder of study folders (trial runs, report, best.yaml)", DefaultValueFactory = _ => "runs" };
        var heartbeat = new Option<string?>("--heartbeat-timeout") { Description = "Seconds without a heartbeat after which a RUNNING trial's worker counts as dead (default 60)" };
        var device = new Option<string?>("--device") { Description = "auto, cpu or cuda (overrides the recipe's device)" };
        var command = new Command("tune", "Hyperparameter search over a recipe: TPE/random/grid, median/ASHA pruning, resumable SQLite or shared PostgreSQL storage")
        { search, storage, study, trials, sampler, pruner, seed, worker, runs, heartbeat, device };
        command.Subcommands.Add(CreateReport());
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var space = SearchSpaceLoader.Load(parse.GetValue(search)!);
            space = space with
            {
                StudyName = parse.GetValue(study) ?? space.StudyName,
                Trials = OptionValues.Int(parse.GetValue(trials), "--trials", 1) ?? space.Trials,
                Sampler = space.Sampler with
                {
                    Name = OptionValues.Choice(parse.GetValue(sampler), "--sampler", SamplerSettings.Names) ?? space.Sampler.Name,
                    Seed = (long?)OptionValues.UInt64(parse.GetValue(seed), "--seed") ?? space.Sampler.Seed,
                },
                Pruner = space.Pruner with { Name = OptionValues.Choice(parse.GetValue(pruner), "--pruner", PrunerSettings.Names) ?? space.Pruner.Name },
            };
            var studyDir = Path.GetFullPath(Path.Combine(parse.GetValue(runs)!, space.StudyName));
            var objective = new RecipeObjective(space, studyDir, parse.GetValue(device));
            var lookup = RecipeObjective.Lookup(space);
            objective.Check(lookup); // every key and value type, before the first trial
            using var store = StudyStorage.Open(parse.GetValue(storage) ?? StudyStorage.DefaultPath(parse.GetValue(runs)!, space.StudyName));
            var timeout = OptionValues.Int(parse.GetValue(heartbeat), "--heartbeat-timeout", 1) ?? 60;
            var options = new StudyOptions
            {
                HeartbeatTimeout = TimeSpan.FromSeconds(timeout),
                HeartbeatInterval = TimeSpan.FromSeconds(Math.Clamp(timeout / 4.0, 0.5, 10)),
            };
            var runner = new StudyRunner(space, store, objective, options) { Lookup = lookup };
            o.WriteLine($"study {space.StudyName} ({store.Description}), {space.Trials} trials, sampler {space.Sampler.Name}, pruner {space.Pruner.Name}, "
                + $"{(space.Maximize ? "maximize" : "minimize")} validation {space.Metric}; worker {options.Worker}");
            bool live = !parse.GetValue(worker) && o == Console.Out && TrainProgressRenderer.IsInteractiveConsole;
            var trialsDone = live ? RunLive(space, runner) : runner.Run(new PlainStudyLog(o, space));
            if (parse.GetValue(worker))
            {
                o.WriteLine($"worker done: the study has {trialsDone.Count} trials; report: tunesharp tune report --storage ... --study {space.StudyName}");
                return 0;
            }
            PrintSummary(o, space, trialsDone, StudyReport.Write(space, trialsDone, studyDir, store.Description));
            return 0;
        });
        return command;
    }

    static Command CreateReport()
    {
        var storage = new Option<string?>("--storage") { Description = "postgresql://… URL or SQLite file (default runs/<study>/study.db)" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the only study in the storage)" };
        var outDir = new Option<string?>("--out") { Description = "Folder for report.md, best.yaml and the charts (default runs/<study>)" };
        var runs = new Option<string>("--runs-dir") { Description = "Folder of study folders", DefaultValueFactory = _ => "runs" };
        var command = new Command("report", "Report, best recipe and charts of a stored study (running or finished)") { storage, study, outDir, runs };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var name = parse.GetValue(study);
            var where = parse.GetValue(storage)
                ?? (name is null ? throw new UserError("tune report: give --storage or --study") : StudyStorage.DefaultPath(parse.GetValue(runs)!, name));
            if (!PostgresUrl.IsPostgres(where) && !File.Exists(where)) throw new UserError($"{where}: no study database here");
            using var store = StudyStorage.Open(where);
            var names = store.StudyNames();
            name ??= names.Count == 1 ? names[0] : throw new UserError($"{store.Description}: {names.Count} studies ({string.Join(", ", names)}); choose one with --study");
            var info = store.FindStudy(name) ?? throw new UserError($"{store.Description}: no study '{name}' (studies: {string.Join(", ", names)})");
            var space = SearchSpaceLoader.Parse(info.Config["search"]!.GetValue<string>(), info.Config["search_file"]!.GetValue<string>()) with { StudyName = name };
            space = space with { Trials = info.Config["trials"]?.GetValue<int>() ?? space.Trials };
            var trials = store.Trials(info.Id);
            var dir = Path.GetFullPath(parse.GetValue(outDir) ?? Path.Combine(parse.GetValue(runs)!, name));
            PrintTable(o, space, trials);
            PrintSummary(o, space, trials, StudyReport.Write(space, trials, dir, store.Description));
            return 0;
        });
        return command;
    }

    static IReadOnlyList<TrialRecord> RunLive(SearchSpace space, StudyRunner runner)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"study {space.StudyName}");
        foreach (var c in StudyTable.Columns(space)) table.AddColumn(Markup.Escape(c));
        IReadOnlyList<TrialRecord> result = [];
        AnsiConsole.Live(table).Start(ctx =>
        {
            result = runner.Run(new SyncProgress(e =>
            {
                table.Rows.Clear();
                foreach (var t in e.Trials) table.AddRow(StudyTable.Row(space, t).Select(Markup.Escape).ToArray());
                ctx.Refresh();
            }));
        });
        return result;
    }

    static void PrintTable(TextWriter o, SearchSpace space, IReadOnlyList<TrialRecord> trials)
    {
        var cols = StudyTable.Columns(space);
        var rows = trials.Select(t => StudyTable.Row(space, t)).ToList();
        var widths = cols.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
        o.WriteLine(string.Join("  ", cols.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var r in rows) o.WriteLine(string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
    }

    static void PrintSummary(TextWriter o, SearchSpace space, IReadOnlyList<TrialRecord> trials, StudyReportFiles files)
    {
        int Count(TrialState s) => trials.Count(t => t.State == s);
        o.WriteLine($"trials: {trials.Count} ({Count(TrialState.Complete)} complete, {Count(TrialState.Pruned)} pruned, {Count(TrialState.Fail)} failed, {Count(TrialState.Running)} running)");
        if (files.Best is { } b)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best trial {b.Number}: {space.Metric} {b.Value:0.####} with ")
                + string.Join(", ", b.Params!.Select(kv => $"{kv.Key}={ParamSpec.Text(kv.Value)}")));
            if (b.Attrs["test"] is System.Text.Json.Nodes.JsonObject test)
                o.WriteLine("  its test metrics: " + string.Join(", ", test.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {(double)kv.Value!:0.####}"))));
            o.WriteLine($"best recipe: {files.BestRecipe}");
        }
        else o.WriteLine("no trial has completed yet");
        o.WriteLine($"report: {files.Report}" + (files.Plots.Count > 0 ? $" (charts: {string.Join(", ", files.Plots)})" : ""));
    }

    /// <summary>Reports on the calling thread (the live table and the log stay in event order).</summary>
    sealed class SyncProgress(Action<StudyEvent> report) : IProgress<StudyEvent>
    {
        public void Report(StudyEvent value) => report(value);
    }

    /// <summary>One line per trial start, evaluation and end: for logs, CI and --worker.</summary>
    sealed class PlainStudyLog(TextWriter o, SearchSpace space) : IProgress<StudyEvent>
    {
        public void Report(StudyEvent e)
        {
            var t = e.Trial;
            string values = string.Join(", ", (t.Params ?? []).Select(kv => $"{kv.Key}={ParamSpec.Text(kv.Value)}"));
            string line = e.Kind switch
            {
                StudyEventKind.Started => $"trial {t.Number} started{(e.Message is null ? "" : $" ({e.Message})")}: {values}",
                StudyEventKind.Intermediate => string.Create(CultureInfo.InvariantCulture, $"trial {t.Number} step {t.LastStep}: {space.Metric} {t.Intermediate[t.LastStep!.Value]:0.####}"),
                _ => t.State switch
                {
                    TrialState.Complete => string.Create(CultureInfo.InvariantCulture, $"trial {t.Number} complete: {space.Metric} {t.Value:0.####}"),
                    TrialState.Pruned => string.Create(CultureInfo.InvariantCulture, $"trial {t.Number} pruned at step {t.LastStep}"),
                    _ => $"trial {t.Number} failed: {e.Message}",
                },
            };
            lock (o) o.WriteLine(line);
        }
    }
}
