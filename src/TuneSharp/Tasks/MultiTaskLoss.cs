using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>
/// How the tasks' losses are weighted. "fixed": w_t · L_t with the recipe's per-task weights. "uncertainty"
/// (Kendall, Gal and Cipolla 2018, "Multi-task learning using uncertainty to weigh losses"): each task learns
/// s_t = log σ_t² and its batches contribute exp(−s_t) · L_t + ½ s_t, Kendall's form for a classification
/// (softmax) likelihood, so a task whose loss stays high is down-weighted while the ½ s_t term keeps σ_t from growing
/// without bound. The optimum for a fixed L_t is s_t = log(2 L_t).
/// </summary>
public sealed class MultiTaskLoss
{
    /// <summary>The weighting names.</summary>
    public static readonly string[] Modes = ["fixed", "uncertainty"];

    readonly IReadOnlyList<double> weights;
    readonly Tensor? logVariances;

    /// <summary>Fixed weights, one per task.</summary>
    public MultiTaskLoss(IReadOnlyList<double> weights) { this.weights = weights; }

    /// <summary>Uncertainty weighting over the learned log-variances (T,).</summary>
    public MultiTaskLoss(Tensor logVariances) { weights = []; this.logVariances = logVariances; }

    /// <summary>"fixed" or "uncertainty".</summary>
    public string Mode => logVariances is null ? "fixed" : "uncertainty";

    /// <summary>The weighted scalar loss of a batch of task <paramref name="task"/> whose own loss is <paramref name="loss"/>.</summary>
    public Tensor Weigh(int task, Tensor loss)
    {
        if (logVariances is null) return loss * weights[task];
        using var scope = NewDisposeScope();
        var s = logVariances[task];                                                   // scalar log σ_t²
        return (exp(-s) * loss + 0.5 * s).MoveToOuterDisposeScope();
    }

    /// <summary>The current weight exp(−s_t) (uncertainty) or w_t (fixed) of each task, for logs.</summary>
    public IReadOnlyList<double> Weights()
    {
        if (logVariances is null) return weights;
        using var noGrad = no_grad();
        return logVariances.neg().exp().cpu().data<float>().ToArray().Select(x => (double)x).ToList();
    }
}
