namespace TuneSharp.Training;

/// <summary>
/// Learning rate at an optimizer step, as transformers' get_{constant,linear,cosine}_schedule_with_warmup:
/// linear warmup from 0, then constant, linear decay to 0, or half-cosine decay to 0.
/// </summary>
public static class LrSchedule
{
    /// <summary>lr for the update made at <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double At(string kind, double baseLr, int step, int totalSteps, int warmupSteps)
    {
        if (step < warmupSteps) return baseLr * step / Math.Max(1, warmupSteps);
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return kind switch
        {
            "constant" => baseLr,
            "linear" => baseLr * Math.Max(0.0, 1.0 - progress),
            "cosine" => baseLr * Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * progress))),
            _ => throw new UserError($"training.lr_scheduler: '{kind}' is not one of constant, linear, cosine"),
        };
    }

    /// <summary>Warmup steps from an explicit count or a ratio of the total.</summary>
    public static int Warmup(TrainingOptions o, int totalSteps) =>
        o.WarmupSteps > 0 ? o.WarmupSteps : (int)Math.Ceiling(o.WarmupRatio * totalSteps);
}
