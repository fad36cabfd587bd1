using static TorchSharp.torch;

namespace TuneSharp.Training.Distillation;

/// <summary>
/// Hinton et al. (2015)'s distillation loss: the student matches the teacher's temperature-softened class
/// distribution, the KL term scaled by T² so its gradients keep their size as T changes, mixed with the usual
/// hard-label loss: loss = (1 − α)·hard + α·T²·KL(softmax(t/T) ‖ softmax(s/T)).
/// </summary>
public static class KdLoss
{
    /// <summary>
    /// T²·KL(softmax(teacher/T) ‖ softmax(student/T)), summed over classes and averaged over the batch
    /// (PyTorch's kl_div with reduction "batchmean"). Logits (B, L); the teacher's carry no gradient.
    /// </summary>
    public static Tensor SoftTargets(Tensor student, Tensor teacher, double temperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be positive");
        using var scope = NewDisposeScope();
        var s = student.to_type(ScalarType.Float32) / temperature;                        // (B, L)
        var t = teacher.detach().to_type(ScalarType.Float32).to(s.device) / temperature;   // (B, L)
        var logPt = t.log_softmax(-1);
        var kl = (logPt.exp() * (logPt - s.log_softmax(-1))).sum(-1, keepdim: false);     // (B,)
        return (kl.mean() * (temperature * temperature)).MoveToOuterDisposeScope();
    }

    /// <summary>(1 − α)·<paramref name="hard"/> + α·<paramref name="soft"/>; α = 1 is pure distillation, α = 0 the hard labels alone.</summary>
    public static Tensor Mix(Tensor hard, Tensor soft, double alpha) => hard * (1 - alpha) + soft * alpha;
}
