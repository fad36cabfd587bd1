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

    [Fact]
    public void National_phone_numbers_are_read_in_the_default_regions_international_ones_anywhere()
    {
        const string text = "London 020 7946 0958, Paris 01 99 00 12 34, Berlin +49 30 1234567, NYC (212) 555-0187.";
        Assert.Equal("London 020 7946 0958, Paris 01 99 00 12 34, Berlin [PHONE], NYC [PHONE].", new PiiScrubber().Scrub(text).Text);
        Assert.Equal("London [PHONE], Paris [PHONE], Berlin [PHONE], NYC [PHONE].", new PiiScrubber(phoneRegions: ["GB", "FR", "US"]).Scrub(text).Text);
    }

    [Fact]
    public void Phone_spans_leave_out_prose_parentheses_identifiers_and_dotted_versions()
    {
        var s = new PiiScrubber(phoneRegions: ["FR"]);
        Assert.Equal("Le standard ([PHONE]) ferme", s.Scrub("Le standard (+33 1 99 00 45 67) ferme").Text);
        Assert.Empty(new PiiScrubber().Find("Serial SN-2024-000123-XY, Chrome 122.0.6261.112"));
        Assert.Empty(new PiiScrubber(phoneRegions: ["DE"]).Find("Rechnung vom 03.02.2025"));                  // a valid German number, but a date
        Assert.Empty(new PiiScrubber(phoneRegions: ["IN"]).Find("invoice 2024-25/0931, order no. 0113 496 0571"));
        Assert.Equal("(646) 555-0182, ext. 12", Assert.Single(new PiiScrubber().Find("Reception (646) 555-0182, ext. 12")).Original);
    }

    [Fact]
    public void Phone_regions_parse_iso_codes_and_name_an_unknown_one()
    {
        Assert.Equal(["GB", "DE"], PhoneRegions.Parse(" gb, DE,gb"));
        Assert.Contains("'XX'", Assert.Throws<UserError>(() => PhoneRegions.Parse("XX")).Message);
        Assert.Contains("the United Kingdom is GB", Assert.Throws<UserError>(() => PhoneRegions.Parse("US,UK")).Message);
        Assert.Throws<UserError>(() => PhoneRegions.Parse(" , "));
    }

    [Fact]
    public void Street_addresses_and_postcodes_scrub_to_address()
    {
        var s = new PiiScrubber([PiiType.Address]);
        Assert.Equal("Ship to [ADDRESS] today.", s.Scrub("Ship to 100 Main St., Apt 4B, Boston, MA 02110-1234 today.").Text);
        Assert.Equal("Return address:\n[ADDRESS]", s.Scrub("Return address:\n221B Baker Street\nLondon NW1 6XE").Text);
        Assert.Equal("Postcode [ADDRESS], thanks", s.Scrub("Postcode SW1A 1AA, thanks").Text);
        // Lower-case street words, a street without a number, and a memory size are not addresses.
        Assert.Empty(s.Find("We need 3 hard drive bays near 5th Avenue & 42nd Street; MacBook Air M2 8GB."));
    }

    [Fact]
    public void Person_names_need_a_model()
    {
        Assert.Contains("PERSON", Assert.Throws<UserError>(() => new PiiScrubber([PiiType.Person])).Message);
        Assert.DoesNotContain(new PiiScrubber().Find("Alice Smith called."), f => f.Type == PiiType.Person);
    }
}
