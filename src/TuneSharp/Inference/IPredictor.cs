using System.Text.Json.Nodes;
using TuneSharp.Data;

namespace TuneSharp.Inference;

/// <summary>A trained model that adds prediction fields to unlabeled records (no label field is read).</summary>
public interface IPredictor : IDisposable
{
    /// <summary>The task name, e.g. "sequence-classification".</summary>
    string Task { get; }

    /// <summary>
    /// The prediction fields of each record, in order (e.g. <c>label</c> and <c>probabilities</c>); a record
    /// without the input field is a <see cref="UserError"/> naming its file, line and field.
    /// </summary>
    IReadOnlyList<JsonObject> Predict(IReadOnlyList<DataRecord> records);
}
