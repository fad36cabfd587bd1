using System.Text.Json.Nodes;
using TuneSharp.Models.Bert;
using TuneSharp.Tasks;
using TuneSharp.Training;
using TuneSharp.Training.Adversarial;

namespace TuneSharp.Recipes;

/// <summary>
/// The recipe's <c>adversarial:</c> section: its options (a bad value or a key the method does not read is one error
/// line naming <c>adversarial.KEY</c>) and the training objective it asks for.
/// </summary>
public static class AdversarialRecipe
{
    static readonly string[] Methods = ["fgm", "pgd", "freelb", "smart"];

    /// <summary>The adversarial options, or null when the recipe has no adversarial section.</summary>
    public static AdversarialOptions? Options(Recipe r)
    {
        if (r.Root["adversarial"] is not JsonObject a) return null;
        string Key(string k) => $"{r.File}: key 'adversarial.{k}'";
        var method = r.Get("adversarial", "method") ?? throw new UserError($"{Key("method")}: required ({string.Join(" | ", Methods)})");
        if (!Methods.Contains(method)) throw new UserError($"{Key("method")}: '{method}' is not {string.Join(", ", Methods)}");
        var norm = r.Get("adversarial", "norm") ?? "l2";
        if (norm is not ("l2" or "linf")) throw new UserError($"{Key("norm")}: '{norm}' is not l2 or linf");
        var init = r.Get("adversarial", "init") ?? method switch { "freelb" => "uniform", "smart" => "normal", _ => "zero" };
        if (init is not ("zero" or "uniform" or "normal")) throw new UserError($"{Key("init")}: '{init}' is not zero, uniform or normal");

        // A key the method never reads is a contradiction, not a silent no-op.
        string[] ascent = ["step_size", "steps", "init"], smartOnly = ["lambda_s", "mu", "beta"];
        foreach (var k in method == "fgm" ? ascent : [])
            if (a[k] is not null) throw new UserError($"{Key(k)}: not read by method fgm (one step of exactly epsilon); use pgd or freelb for several steps");
        foreach (var k in method == "smart" ? [] : smartOnly)
            if (a[k] is not null) throw new UserError($"{Key(k)}: only read by method smart, not {method}");
        if (method == "smart" && init == "zero")
            throw new UserError($"{Key("init")}: smart needs a random start (uniform or normal): the symmetric KL has its minimum, so a zero gradient, at delta = 0");
        if (a["noise_var"] is not null && init != "normal") throw new UserError($"{Key("noise_var")}: only read with init: normal, not {init}");

        var d = new AdversarialOptions();
        var o = new AdversarialOptions
        {
            Method = method, Norm = norm, Init = init,
            Epsilon = Recipe.Number(a, "epsilon") ?? d.Epsilon,
            StepSize = Recipe.Number(a, "step_size") ?? d.StepSize,
            Steps = (int?)Recipe.Int(a, "steps") ?? (method is "pgd" or "freelb" ? 3 : 1),
            LambdaS = Recipe.Number(a, "lambda_s") ?? d.LambdaS,
            Mu = Recipe.Number(a, "mu") ?? d.Mu,
            Beta = Recipe.Number(a, "beta") ?? d.Beta,
            NoiseVar = Recipe.Number(a, "noise_var") ?? d.NoiseVar,
        };
        if (!(o.Epsilon > 0) || !double.IsFinite(o.Epsilon)) throw new UserError($"{Key("epsilon")}: must be > 0, got {o.Epsilon}");
        if (!(o.StepSize > 0) || !double.IsFinite(o.StepSize)) throw new UserError($"{Key("step_size")}: must be > 0, got {o.StepSize}");
        if (o.Steps < 1) throw new UserError($"{Key("steps")}: must be >= 1, got {o.Steps}");
        if (!(o.LambdaS >= 0)) throw new UserError($"{Key("lambda_s")}: must be >= 0, got {o.LambdaS}");
        if (!(o.Mu >= 0)) throw new UserError($"{Key("mu")}: must be >= 0, got {o.Mu}");
        if (o.Beta is not (>= 0 and < 1)) throw new UserError($"{Key("beta")}: must be in [0, 1), got {o.Beta}");
        if (!(o.NoiseVar > 0)) throw new UserError($"{Key("noise_var")}: must be > 0, got {o.NoiseVar}");

        if (r.MethodType is "frozen-features" or "setfit")
            throw new UserError($"{r.File}: key 'adversarial': method.type {r.MethodType} fits a regression on fixed features; there is no gradient training to perturb");
        if (method == "smart" && r.Task != "sequence-classification")
            throw new UserError($"{Key("method")}: smart compares class distributions, so it needs task sequence-classification, not {r.Task}");
        if (method == "smart" && Recipe.Bool(r.Section("data"), "multi_label") == true)
            throw new UserError($"{Key("method")}: smart's symmetric KL is over one softmax; data.multi_label is not supported");
        return o;
    }

    /// <summary>The training objective of <paramref name="o"/> for <paramref name="task"/>; null (the plain loss) without one.</summary>
    public static ITrainingObjective? Objective(Recipe r, AdversarialOptions? o, ITask task)
    {
        if (o is null) return null;
        var embeddings = InputEmbeddings.Find(task.Module)
            ?? throw new UserError($"{r.File}: key 'adversarial': the model has no BERT word embeddings to perturb (adversarial training supports BERT-family encoders such as MiniLM)");
        var loss = new PerturbedLoss(task, embeddings);
        return o.Method switch
        {
            "fgm" => new FgmObjective(loss, o),
            "pgd" => new PgdObjective(loss, o),
            "freelb" => new FreeLbObjective(loss, o),
            _ => new SmartObjective(loss, task as SequenceClassificationTask
                ?? throw new UserError($"{r.File}: key 'adversarial.method': smart needs task sequence-classification"), o),
        };
    }

    /// <summary>" + FreeLB (ε 1, α 0.3, K 3, l2)" for the report's method name; empty without adversarial training.</summary>
    public static string Describe(AdversarialOptions? o) => o is null ? "" : o.Method switch
    {
        "fgm" => FormattableString.Invariant($" + FGM (ε {o.Epsilon}, {o.Norm})"),
        "smart" => FormattableString.Invariant($" + SMART (ε {o.Epsilon}, α {o.StepSize}, K {o.Steps}, {o.Norm}, λs {o.LambdaS}, μ {o.Mu}, β {o.Beta})"),
        _ => FormattableString.Invariant($" + {(o.Method == "pgd" ? "PGD" : "FreeLB")} (ε {o.Epsilon}, α {o.StepSize}, K {o.Steps}, {o.Norm}, init {o.Init})"),
    };
}
