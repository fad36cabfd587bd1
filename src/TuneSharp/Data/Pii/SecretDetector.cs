using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// API keys and tokens: well-known prefixes (OpenAI/Anthropic sk-, Stripe sk_live_/rk_live_, GitHub ghp_/gho_/
/// ghu_/ghs_/ghr_/github_pat_, Slack xoxb-/xoxp-/xoxa-/xoxs-, AWS AKIA/ASIA, Google AIza, JWTs), and values
/// assigned to key/token/secret/password names that look random: at least 12 characters, letters and digits,
/// Shannon entropy ≥ 3 bits per character (so "password=YOUR_PASSWORD_HERE" stays). For an assignment only the
/// value is replaced ("token=[SECRET]").
/// </summary>
internal sealed partial class SecretDetector : IPiiDetector
{
    public PiiType Type => PiiType.Secret;

    [GeneratedRegex(@"(?<![A-Za-z0-9_\-])(?:sk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_\-]{20,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|xox[bpas]-[A-Za-z0-9\-]{10,}|(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])|AIza[0-9A-Za-z_\-]{35}|eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Prefixed();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?:api[_\-]?key|apikey|access[_\-]?key(?:[_\-]?id)?|secret[_\-]?key|client[_\-]?secret|auth[_\-]?token|access[_\-]?token|refresh[_\-]?token|token|secret|password|passwd|pwd|key)[""']?\s*[:=]\s*[""']?(?<value>[A-Za-z0-9+/=_\-.~!#$%^*]{12,200})",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Assignment();

    /// <summary>A vectorised pre-check: texts without any of these cannot match <see cref="Prefixed"/>.</summary>
    static readonly System.Buffers.SearchValues<string> Prefixes = System.Buffers.SearchValues.Create(
        ["sk-", "sk_", "rk_", "gh", "github_pat_", "xox", "AKIA", "ASIA", "AIza", "eyJ"], StringComparison.Ordinal);

    public IEnumerable<PiiFinding> Find(string text)
    {
        if (text.AsSpan().IndexOfAny(Prefixes) >= 0)
            foreach (Match m in Prefixed().Matches(text))
                yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
        if (text.AsSpan().IndexOfAny(':', '=') < 0) yield break; // an assignment needs one of these
        foreach (Match m in Assignment().Matches(text))
        {
            var v = m.Groups["value"];
            var value = v.Value.TrimEnd('.', ',', ';', '!');
            if (LooksRandom(value)) yield return new PiiFinding(Type, v.Index, value.Length, value);
        }
    }

    internal static bool LooksRandom(string value) =>
        value.Length >= 12 && value.Any(char.IsAsciiDigit) && value.Any(char.IsAsciiLetter) && Entropy(value) >= 3.0;

    /// <summary>Shannon entropy in bits per character.</summary>
    internal static double Entropy(string s)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in s) counts[c] = counts.GetValueOrDefault(c) + 1;
        double h = 0;
        foreach (var n in counts.Values)
        {
            double p = (double)n / s.Length;
            h -= p * Math.Log2(p);
        }
        return h;
    }
}
