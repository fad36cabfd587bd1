namespace TuneSharp.Templates;

/// <summary>
/// Builds the <see cref="UserError"/>s a chat template raises. A broken template or a conversation the
/// template rejects is the user's input, so both surface as one-line user errors with the template line.
/// </summary>
internal static class TemplateErrors
{
    /// <summary>A syntax or evaluation error at a template line.</summary>
    public static UserError At(int line, string message) => new($"chat template, line {line}: {message}");

    /// <summary>A template's own <c>raise_exception(msg)</c>: the message is the template's, unchanged.</summary>
    public static UserError Raised(string message) => new(message);
}

/// <summary>
/// An evaluation error raised deep inside value operations, where the template line is not known; the
/// evaluator catches it at the nearest node and rethrows it as a <see cref="UserError"/> with the line.
/// </summary>
internal sealed class JinjaRuntimeException(string message) : Exception(message);
