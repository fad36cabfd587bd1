namespace TuneSharp.Tasks;

/// <summary>
/// The Stanford Alpaca prompt, fixed so results are comparable: with an input,
/// "Below is an instruction that describes a task, paired with an input that provides further context. Write a
/// response that appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n";
/// without one (empty or absent), "Below is an instruction that describes a task. Write a response that
/// appropriately completes the request.\n\n### Instruction:\n{instruction}\n\n### Response:\n". The output follows
/// directly and is the only trained part.
/// </summary>
public static class AlpacaPrompt
{
    /// <summary>The prompt text for an instruction and an optional input.</summary>
    public static string Render(string instruction, string input) => input.Length == 0
        ? "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n"
          + $"### Instruction:\n{instruction}\n\n### Response:\n"
        : "Below is an instruction that describes a task, paired with an input that provides further context. "
          + "Write a response that appropriately completes the request.\n\n"
          + $"### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n";
}
