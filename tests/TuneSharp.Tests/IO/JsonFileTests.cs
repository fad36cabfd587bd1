using System.Text;
using TuneSharp.IO;
using TuneSharp.Tests.Data;

namespace TuneSharp.Tests.IO;

/// <summary>
/// The inputs file fuzzing found (docs/RELIABILITY.md): each is one UserError line naming the file, never the
/// ArgumentException System.Text.Json throws on first reading a duplicated key, nor its message quoting the file.
/// </summary>
public sealed class JsonFileTests : IDisposable
{
    readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    string Fails(string text) => Fails(Encoding.UTF8.GetBytes(text));

    string Fails(byte[] bytes)
    {
        var path = Path.Combine(dir.Path, "config.json");
        File.WriteAllBytes(path, bytes);
        var message = Assert.Throws<UserError>(() => JsonFile.ReadObject(path)).Message;
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith(path + ": ", message);
        return message;
    }

    [Fact]
    public void A_duplicated_key_is_rejected_when_parsed()
    {
        Assert.Contains("hidden_size", Fails("{\"hidden_size\": 64,\n \"hidden_size\": 0}"));
    }

    [Fact]
    public void A_broken_literal_names_line_and_column_without_quoting_the_rest_of_the_file()
    {
        var message = Fails("{\"a\": 1,\n  \"b\": falsm,\n  \"c\": \"x\",\n  \"d\": 2\n}");
        Assert.Contains("invalid JSON at line 2, column", message);
        Assert.DoesNotContain("\"c\"", message);
    }

    [Fact]
    public void Invalid_utf8_and_deep_nesting_and_a_non_object_are_rejected()
    {
        Assert.Contains("not valid UTF-8", Fails([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']));
        Assert.Contains("invalid JSON", Fails("{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}"));
        Assert.Contains("expected a JSON object", Fails("[1, 2]"));
    }

    [Fact]
    public void A_byte_order_mark_is_allowed()
    {
        var path = Path.Combine(dir.Path, "bom.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "{\"a\": 1}"u8.ToArray()]);
        Assert.Equal(1, (int)JsonFile.ReadObject(path)["a"]!);
    }
}
