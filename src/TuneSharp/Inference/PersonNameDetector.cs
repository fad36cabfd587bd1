using TuneSharp.Data.Pii;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// Person names for PII scrubbing, from a token-classification model folder (a NER run of the token-classification
/// task, whose tags include PER or B-PER/I-PER): the text is split into words as NER data is
/// (<see cref="PersonSpans.Words"/>), tagged as <c>predict</c> tags words (each word at its first sub-token), and the
/// PER entities become spans. Names are opt-in: rules cannot tell "Jordan" the person from the country, a model
/// trained for it can, and its errors are the model's, measured by its own seqeval scores. Texts longer than the
/// model's max length are tagged in consecutive windows, so no word is left untagged. Not thread-safe.
/// </summary>
public sealed class PersonNameDetector : IPiiDetector, IDisposable
{
    readonly LoadedClassifier classifier;

    PersonNameDetector(LoadedClassifier classifier) => this.classifier = classifier;

    /// <summary>
    /// Loads the model in <paramref name="modelDir"/> on <paramref name="device"/>; a folder that is not a token
    /// classifier, or whose labels have no person tag, is a <see cref="UserError"/> naming it.
    /// </summary>
    public static PersonNameDetector Load(string modelDir, Device device, int maxLength = 512)
    {
        var dir = ModelFolderCheck.Require(modelDir);
        var classifier = ClassifierLoader.Load(dir, ClassifierLoader.TokenTask, device, maxLength);
        if (!classifier.Labels.Names.Any(PersonSpans.IsPersonTag))
        {
            var labels = string.Join(", ", classifier.Labels.Names.Take(12));
            classifier.Dispose();
            throw new UserError($"{dir}: no person tag (PER, B-PER, I-PER) among the model's labels ({labels})");
        }
        return new PersonNameDetector(classifier);
    }

    /// <inheritdoc/>
    public PiiType Type => PiiType.Person;

    /// <inheritdoc/>
    public IEnumerable<PiiFinding> Find(string text)
    {
        var words = PersonSpans.Words(text);
        return words.Count == 0 ? [] : PersonSpans.FromWordTags(text, words, Tags(words.Select(w => text[w.Start..w.End]).ToList()));
    }

    /// <summary>One tag per word: the argmax at the word's first sub-token, window after window.</summary>
    internal IReadOnlyList<string> Tags(IReadOnlyList<string> words)
    {
        var tags = new List<string>(words.Count);
        while (tags.Count < words.Count)
        {
            var window = words.Skip(tags.Count).ToList();
            var alignment = WordAlignment.Align(classifier.Tokenizer, window, classifier.MaxLength);
            var (best, _) = classifier.TokenLabels([alignment.Ids]);
            int tagged = alignment.FirstToken.TakeWhile(t => t >= 0).Count();
            // A single word longer than the whole window has no token of its own to read: it is not a name.
            if (tagged == 0) { tags.Add("O"); continue; }
            tags.AddRange(alignment.FirstToken.Take(tagged).Select(t => classifier.Labels.Names[(int)best[t]]));
        }
        return tags;
    }

    /// <inheritdoc/>
    public void Dispose() => classifier.Dispose();
}
