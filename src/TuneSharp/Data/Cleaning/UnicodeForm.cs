namespace TuneSharp.Data.Cleaning;

/// <summary>Which Unicode normalization form the cleaner applies to text fields.</summary>
public enum UnicodeForm
{
    /// <summary>Leave code points as they are.</summary>
    None,
    /// <summary>Canonical composition: visually identical sequences become the same code points.</summary>
    Nfc,
    /// <summary>Compatibility composition: also folds ligatures, full-width forms, superscripts, NBSP.</summary>
    Nfkc,
}
