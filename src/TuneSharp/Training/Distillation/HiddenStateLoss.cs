using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Training.Distillation;

/// <summary>
/// The hidden-state term (FitNets, TinyBERT): the mean squared error between each student layer's output, projected
/// to the teacher's width when they differ by a trainable Linear, and its mapped teacher layer's output, over the
/// non-pad tokens. The projections train with the student but are not part of the saved student.
/// </summary>
public sealed class HiddenStateLoss : nn.Module
{
    /// <summary>One projection per student layer (student width → teacher width); empty when the widths are equal.</summary>
    public ModuleList<Linear> proj;

    readonly int[] layerMap;

    /// <summary>A loss for student layers mapped by <paramref name="layerMap"/> (student layer i → teacher layer layerMap[i]).</summary>
    public HiddenStateLoss(int studentWidth, int teacherWidth, IReadOnlyList<int> layerMap, Device? device = null) : base(nameof(HiddenStateLoss))
    {
        this.layerMap = [.. layerMap];
        proj = new ModuleList<Linear>();
        if (studentWidth != teacherWidth)
            foreach (var _ in layerMap) proj.Add(nn.Linear(studentWidth, teacherWidth, true, device));
        RegisterComponents();
    }

    /// <summary>Whether there are trainable projections (the widths differ).</summary>
    public bool HasProjection => proj.Count > 0;

    /// <summary>
    /// Mean over the mapped layers of the masked MSE. <paramref name="student"/> and <paramref name="teacher"/> are
    /// output_hidden_states lists (embeddings first, then each layer's output, each (B, T, C)); mask (B, T) is 1 on real tokens.
    /// </summary>
    public Tensor Loss(IReadOnlyList<Tensor> student, IReadOnlyList<Tensor> teacher, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var m = mask.to_type(ScalarType.Float32).unsqueeze(-1);                                    // (B, T, 1)
        Tensor? total = null;
        for (int i = 0; i < layerMap.Length; i++)
        {
            var s = student[i + 1].to_type(ScalarType.Float32);                                   // (B, T, Cs)
            if (HasProjection) s = proj[i].forward(s);                                             // (B, T, Ct)
            var t = teacher[layerMap[i] + 1].detach().to_type(ScalarType.Float32).to(s.device);  // (B, T, Ct)
            var mse = ((s - t).pow(2) * m).sum() / (m.sum() * t.shape[^1]);
            total = total is null ? mse : total + mse;
        }
        return (total! / layerMap.Length).MoveToOuterDisposeScope();
    }
}
