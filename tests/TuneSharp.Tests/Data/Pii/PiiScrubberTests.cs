using TuneSharp.Data.Pii;

namespace TuneSharp.Tests.Data.Pii;

public class PiiScrubberTests
{
    [Fact]
    public void Scrub_replaces_each_finding_with_its_typed_placeholder()
    {
        var result = new PiiScrubber().Scrub("Mail jane@example.com, card 4111 1111 1111 1111, IP 10.0.0.1, SSN 123-45-6789.");
        Assert.Equal("Mail [EMAIL], card [CREDIT_CARD], IP [IP_ADDRESS], SSN [SSN].", result.Text);
        Assert.Equal(["jane@example.com", "4111 1111 1111 1111", "10.0.0.1", "123-45-6789"], result.Findings.Select(f => f.Original));
        Assert.Equal(1, result.Counts[PiiType.Ssn]);
        Assert.Equal(5, result.Findings[0].Start);
    }

    [Fact]
    public void Overlaps_resolve_to_the_longest_span()
    {
        // The password part of the URL also looks like an email (pw@db.example.com): the URL wins.
        var result = new PiiScrubber().Scrub("use mysql://root:pw@db.example.com/prod now");
        Assert.Equal("use [URL_CREDENTIALS]/prod now", result.Text);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Type_selection_limits_detectors()
    {
        var result = new PiiScrubber([PiiType.Email]).Scrub("jane@example.com 10.0.0.1");
        Assert.Equal("[EMAIL] 10.0.0.1", result.Text);
    }

    [Fact]
    public void Checksums_and_ranges()
    {
        Assert.True(Luhn.IsValid("4111111111111111"));
        Assert.False(Luhn.IsValid("4111111111111112"));
        Assert.True(IbanDetector.IsValidChecksum("GB82WEST12345698765432"));
        Assert.False(IbanDetector.IsValidChecksum("GB82WEST12345698765433"));
        var s = new PiiScrubber();
        Assert.Empty(s.Find("256.1.1.1 and 666-12-3456 and 900-12-3456"));
        Assert.Equal(PiiType.IpAddress, Assert.Single(s.Find("255.255.255.255")).Type);
    }

    [Fact]
    public void Assignment_secrets_replace_only_the_value_and_need_entropy()
    {
        var s = new PiiScrubber();
        Assert.Equal("api_key=[SECRET]", s.Scrub("api_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0").Text);
        Assert.Empty(s.Find("password=YOUR_PASSWORD_HERE"));
        Assert.Empty(s.Find("token=aaaaaaaaaaaa1111"));
    }

    [Fact]
    public void Text_without_pii_is_returned_unchanged()
    {
        var text = "Version 1.2.3.4 shipped on 2024-01-15 for $1,234.56.";
        var result = new PiiScrubber().Scrub(text);
        Assert.Same(text, result.Text);
        Assert.Empty(result.Findings);
    }
}
