namespace TuneSharp.Data.Shapes;

/// <summary>The kinds of training example TuneSharp understands.</summary>
public enum RecordShape
{
    /// <summary><c>{text, label}</c>: label is a name, an index, or a list of them (multi-label).</summary>
    Classification,
    /// <summary><c>{tokens, tags}</c>: token classification (NER with BIO tags, POS).</summary>
    Tagging,
    /// <summary><c>{prompt, completion}</c>: sequence to sequence.</summary>
    PromptCompletion,
    /// <summary>Alpaca <c>{instruction, input, output}</c>; input may be empty.</summary>
    Instruction,
    /// <summary>OpenAI fine-tuning chat <c>{messages: [{role, content}]}</c>.</summary>
    Chat,
    /// <summary><c>{text}</c>: raw text for language modelling.</summary>
    Text,
}
