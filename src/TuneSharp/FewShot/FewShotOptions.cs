namespace TuneSharp.FewShot;

/// <summary>
/// A few-shot learning curve: the methods (finetune, frozen, setfit, zero-shot, prompting), k per class, the seeds
/// (each seed draws its own k-shot set and initialises its own training), the test subset size (0 = the whole test
/// split; a seeded subset, the same for every method, when evaluation cost forces one), the label descriptions for
/// zero-shot (null = the label names), the fine-tuning step floor and the causal LM for prompting.
/// </summary>
public sealed record FewShotOptions(
    IReadOnlyList<string> Methods,
    IReadOnlyList<int> Ks,
    IReadOnlyList<long> Seeds,
    int TestLimit = 0,
    IReadOnlyDictionary<string, string>? LabelDescriptions = null,
    SetFitOptions? SetFit = null,
    int FinetuneMinSteps = 30,
    string? PromptingModel = null,
    string PromptNoun = "label",
    int ShotWords = 16)
{
    public static readonly IReadOnlyList<string> AllMethods = ["finetune", "frozen", "setfit", "zero-shot", "prompting"];
}
