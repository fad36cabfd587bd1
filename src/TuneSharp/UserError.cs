namespace TuneSharp;

/// <summary>
/// A mistake in the user's input (a file, a key, an option). The CLI prints its message as one line
/// and exits non-zero, never with a stack trace. The message names the file and, where known, the key
/// or line: "model.safetensors: tensor 'lm_head.weight': ...".
/// </summary>
public sealed class UserError : Exception
{
    public UserError(string message) : base(message) { }
    public UserError(string message, Exception inner) : base(message, inner) { }
}
