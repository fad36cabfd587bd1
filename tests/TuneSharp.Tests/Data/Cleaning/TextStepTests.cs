using TuneSharp.Data.Cleaning;

namespace TuneSharp.Tests.Data.Cleaning;

public class TextStepTests
{
    [Fact]
    public void Control_characters_are_removed_but_tab_and_newline_kept()
    {
        Assert.Equal("a\tb\nc\nd\ne", ControlCharacters.Remove("a\tb\r\nc\rd\u0000\u0007\n\u200Be\uFEFF\u0085"));
        Assert.Equal("emoji\u200D", ControlCharacters.Remove("emoji\u200D")); // ZWJ joins emoji: kept
        var clean = "nothing to do";
        Assert.Same(clean, ControlCharacters.Remove(clean));
    }

    [Fact]
    public void Whitespace_collapses_inside_lines_and_keeps_indentation_and_paragraphs()
    {
        var input = "  Hello   world \t!  \n\n\n\n    indented   code\n   \nlast\u00A0\u00A0line   ";
        Assert.Equal("  Hello world !\n\n    indented code\n\nlast line", WhitespaceNormalizer.Collapse(input));
    }

    [Fact]
    public void Html_drops_scripts_styles_comments_and_decodes_entities()
    {
        var html = """
            <html><head><title>T</title><style>body { color: red; }</style></head>
            <body><script type="text/javascript">var x = "<p>not text</p>";</script>
            <h1>Caf&eacute; &amp; Bar</h1><!-- hidden comment --><p>Price:   &lt;10&gt; &#8364; &quot;ok&quot;</p>
            <ul><li>one</li><li>two<br>three</li></ul><p>a &lt; b and 3 < 4</p></body></html>
            """;
        var text = HtmlStripper.Strip(html);
        Assert.Equal("Café & Bar\nPrice: <10> € \"ok\"\none\ntwo\nthree\na < b and 3 < 4", text);
        Assert.DoesNotContain("color", text);
        Assert.DoesNotContain("not text", text);
        Assert.DoesNotContain("hidden", text);
    }

    [Fact]
    public void Html_keeps_whitespace_inside_pre_and_plain_text_untouched()
    {
        Assert.Equal("x\nline 1\n  line 2", HtmlStripper.Strip("<p>x</p><pre>line 1\n  line 2</pre>"));
        var plain = "no markup at all";
        Assert.Same(plain, HtmlStripper.Strip(plain));
    }

    [Fact]
    public void Email_headers_with_folded_lines_are_stripped()
    {
        var email = "From alice@example.com  Thu Aug 22 13:17:22 2002\n" +
                    "Return-Path: <alice@example.com>\n" +
                    "Received: from mail.example.com (mail.example.com [192.0.2.1])\n" +
                    "\tby mx.example.org (Postfix) with ESMTP id 136B943C32\n" +
                    "\tfor <bob@example.org>; Thu, 22 Aug 2002 08:17:21 -0400\n" +
                    "Subject: Quarterly report,\n  folded onto a second line\n" +
                    "Content-Type: text/plain; charset=\"us-ascii\"\n" +
                    "\n" +
                    "Hi Bob,\nSubject: this line is body text.\n";
        Assert.Equal("Hi Bob,\nSubject: this line is body text.\n", EmailHeaderStripper.Strip(email));
    }

    [Fact]
    public void Text_that_only_looks_like_a_header_is_kept()
    {
        var prose = "Note: the meeting moved.\nReason: the room was taken.\n\nSee you there.";
        Assert.Same(prose, EmailHeaderStripper.Strip(prose));          // no well-known field
        var noBody = "From: a@example.com\nTo: b@example.com";
        Assert.Same(noBody, EmailHeaderStripper.Strip(noBody));        // no blank line ends the block
        var continuationFirst = "  indented: text\nSubject: x\n\nbody";
        Assert.Same(continuationFirst, EmailHeaderStripper.Strip(continuationFirst));
    }

    [Fact]
    public void Changed_characters_measures_the_differing_middle()
    {
        Assert.Equal(0, CleanSteps.ChangedCharacters("abc", "abc"));
        Assert.Equal(2, CleanSteps.ChangedCharacters("a   b", "a b"));        // two spaces removed
        Assert.Equal(9, CleanSteps.ChangedCharacters("mail bob@x.org now", "mail [EMAIL] now")); // "bob@x.org"
    }
}
