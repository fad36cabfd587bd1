using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.IO;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// Training checkpoints under RUN/checkpoints/step-NNNNNN: the trainable parameters (frozen ones never
/// change, so a LoRA checkpoint stays small), the optimizer state, and trainer_state.json (data position,
/// counters, torch RNG). Each is written into a temp folder and renamed, so a crash never leaves a torn
/// checkpoint. The newest <c>keep</c> checkpoints and the best one are kept.
/// </summary>
public sealed class CheckpointStore
{
    const string Weights = "trainable.safetensors";
    const string OptimizerFile = "optimizer.bin";
    const string StateFile = "trainer_state.json";

    public string Root { get; }

    public CheckpointStore(string runDir) => Root = Path.Combine(runDir, "checkpoints");

    public static string Name(int step) => "step-" + step.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Checkpoint folders, oldest first (complete ones only: a torn temp folder has another name).</summary>
    public List<(int Step, string Dir)> List()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.GetDirectories(Root, "step-*")
            .Select(d => (Step: int.TryParse(Path.GetFileName(d)["step-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : -1, Dir: d))
            .Where(c => c.Step >= 0 && File.Exists(Path.Combine(c.Dir, StateFile)))
            .OrderBy(c => c.Step).ToList();
    }

    public string? Latest() => List().LastOrDefault().Dir;

    public string Save(int step, IReadOnlyList<(string Name, Tensor Param)> trainable, ITrainingOptimizer optimizer, TrainerState state, int keep, int? bestStep)
    {
        var dir = Path.Combine(Root, Name(step));
        AtomicFolder.Write(dir, tmp =>
        {
            SafetensorsWriter.Write(Path.Combine(tmp, Weights), trainable.Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Param)));
            using (var stream = File.Create(Path.Combine(tmp, OptimizerFile)))
            using (var writer = new BinaryWriter(stream))
                optimizer.Save(writer);
            File.WriteAllText(Path.Combine(tmp, StateFile), state.ToJson());
        });
        Prune(keep, bestStep);
        return dir;
    }

    /// <summary>Restores trainable weights and optimizer state; returns the trainer state.</summary>
    public static TrainerState Load(string dir, IReadOnlyList<(string Name, Tensor Param)> trainable, ITrainingOptimizer? optimizer)
    {
        var state = TrainerState.Read(Path.Combine(dir, StateFile));
        LoadWeights(dir, trainable.ToDictionary(p => p.Name, p => p.Param, StringComparer.Ordinal));
        if (optimizer is not null)
        {
            var path = Path.Combine(dir, OptimizerFile);
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            optimizer.Load(reader, path);
        }
        return state;
    }

    /// <summary>Copies the checkpoint's trainable tensors into the module (used to restore the best weights).</summary>
    public static void LoadWeights(string dir, nn.Module module) =>
        LoadWeights(dir, module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal));

    /// <summary>Copies the checkpoint's tensors into the given targets by name.</summary>
    public static void LoadWeights(string dir, IReadOnlyDictionary<string, Tensor> parameters)
    {
        using var file = SafetensorsFile.Open(Path.Combine(dir, Weights));
        using var _ = no_grad();
        foreach (var info in file.Tensors)
        {
            if (!parameters.TryGetValue(info.Name, out var p))
                throw new UserError($"{file.Path}: tensor '{info.Name}' is not a parameter of this model (wrong run folder?)");
            file.ReadInto(info.Name, p);
        }
    }

    // An old checkpoint is renamed to a hidden name before it is deleted: a kill -9 mid-delete would otherwise leave
    // a half-deleted step folder that List() still offers (its trainer_state.json intact, its weights gone).
    void Prune(int keep, int? bestStep)
    {
        AtomicFolder.DeleteLeftovers(Root, ".deleting-");
        var all = List();
        foreach (var (step, dir) in all.Take(Math.Max(0, all.Count - keep)))
        {
            if (step == bestStep) continue;
            var doomed = Path.Combine(Root, $".deleting-{Path.GetFileName(dir)}-{Guid.NewGuid():N}");
            Directory.Move(dir, doomed);
            Directory.Delete(doomed, recursive: true);
        }
    }

    public static string RngToBase64()
    {
        using var state = random.get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    public static void RestoreRng(string base64)
    {
        if (base64.Length == 0) return;
        using var state = tensor(Convert.FromBase64String(base64), dtype: ScalarType.Byte);
        random.set_rng_state(state);
    }
}
