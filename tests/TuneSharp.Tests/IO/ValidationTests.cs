using System.Text;
using TuneSharp.IO;

namespace TuneSharp.Tests.IO;

/// <summary>Every malformed input is a one-line UserError naming the file and, where there is one, the tensor.</summary>
public class ValidationTests
{
    const string Ok = "{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}";

    static UserError OpenFails(string path)
    {
        var e = Assert.Throws<UserError>(() => SafetensorsFile.Open(path));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(Path.GetFileName(path), e.Message);
        return e;
    }

    static UserError OpenFails(string header, byte[] data, string? tensor, ulong? lengthOverride = null)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.safetensors");
        RawSafetensors.Write(path, header, data, lengthOverride);
        var e = OpenFails(path);
        if (tensor != null) Assert.Contains($"'{tensor}'", e.Message);
        return e;
    }

    [Fact]
    public void A_valid_hand_made_file_opens()
    {
        using var dir = new TempDir();
        RawSafetensors.Write(dir.File("ok.safetensors"), "{\"w\":" + Ok + "}", new byte[16]);
        using var f = SafetensorsFile.Open(dir.File("ok.safetensors"));
        Assert.Equal([2L, 2], f["w"].Shape);
    }

    [Fact]
    public void File_shorter_than_8_bytes()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("short.safetensors"), [1, 2, 3]);
        Assert.Contains("shorter than the 8-byte", OpenFails(dir.File("short.safetensors")).Message);
    }

    [Fact]
    public void Truncated_file_whose_header_no_longer_fits()
    {
        // A real fixture cut in the middle of its header.
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Fixtures.HfTiny("tiny-llama/model.safetensors"));
        File.WriteAllBytes(dir.File("cut.safetensors"), bytes[..500]);
        Assert.Contains("does not fit", OpenFails(dir.File("cut.safetensors")).Message);
    }

    [Fact]
    public void Truncated_file_whose_data_area_is_short()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Fixtures.HfTiny("tiny-llama/model.safetensors"));
        File.WriteAllBytes(dir.File("cut.safetensors"), bytes[..^100]);
        var e = OpenFails(dir.File("cut.safetensors"));
        Assert.Contains("outside the data area", e.Message);
        Assert.Contains("tensor '", e.Message);
    }

    [Fact]
    public void Header_length_over_100_MB() =>
        Assert.Contains("100 MB", OpenFails("{}", [], null, lengthOverride: 100_000_001).Message);

    [Fact]
    public void Header_length_past_the_end_of_the_file() =>
        Assert.Contains("does not fit", OpenFails("{}", [], null, lengthOverride: 4096).Message);

    [Fact]
    public void Header_not_valid_utf8()
    {
        using var dir = new TempDir();
        RawSafetensors.WriteBytes(dir.File("bad.safetensors"), [(byte)'{', 0xff, 0xfe, (byte)'}'], []);
        Assert.Contains("UTF-8", OpenFails(dir.File("bad.safetensors")).Message);
    }

    [Fact]
    public void Corrupt_header_json() =>
        Assert.Contains("not valid JSON", OpenFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2", new byte[16], null).Message);

    [Fact]
    public void Header_json_not_an_object() =>
        Assert.Contains("not a JSON object", OpenFails("[1, 2]  ", [], null).Message);

    [Fact]
    public void Unknown_dtype() =>
        Assert.Contains("'Q4'", OpenFails("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2], "w").Message);

    [Theory]
    [InlineData("[2,-2]")]
    [InlineData("[2,1.5]")]
    [InlineData("[\"2\"]")]
    [InlineData("2")]
    public void Shape_not_a_list_of_non_negative_ints(string shape) =>
        OpenFails("{\"w\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,16]}}", new byte[16], "w");

    [Theory]
    [InlineData("[0]")]
    [InlineData("[0,16,32]")]
    [InlineData("[16,0]")]
    [InlineData("[-1,15]")]
    [InlineData("null")]
    public void Bad_data_offsets(string offsets) =>
        OpenFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":" + offsets + "}}", new byte[16], "w");

    [Fact]
    public void Offsets_outside_the_data_area() =>
        Assert.Contains("outside the data area",
            OpenFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[16], "w").Message);

    [Fact]
    public void Overlapping_offsets()
    {
        var e = OpenFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                          + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[24], "b");
        Assert.Contains("overlap", e.Message);
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void Gap_between_tensors() =>
        Assert.Contains("gap", OpenFails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                                         + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]}}", new byte[24], "b").Message);

    [Fact]
    public void Trailing_bytes_after_the_last_tensor() =>
        Assert.Contains("trailing", OpenFails("{\"w\":" + Ok + "}", new byte[20], null).Message);

    [Fact]
    public void Shape_times_dtype_size_differs_from_the_byte_range()
    {
        var e = OpenFails("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", new byte[16], "w");
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("24", e.Message);
    }

    [Fact]
    public void Shape_overflow() =>
        Assert.Contains("overflow", OpenFails("{\"w\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,16]}}",
            new byte[16], "w").Message);

    [Fact]
    public void Duplicate_tensor_name() =>
        Assert.Contains("twice", OpenFails("{\"w\":" + Ok + ",\"w\":" + Ok + "}", new byte[16], "w").Message);

    [Fact]
    public void Metadata_values_must_be_strings() =>
        Assert.Contains("__metadata__", OpenFails("{\"__metadata__\":{\"n\":1},\"w\":" + Ok + "}", new byte[16], null).Message);

    [Theory]
    [InlineData("pytorch_model.bin")]
    [InlineData("model.pt")]
    public void Pickle_files_are_rejected_without_reading(string name)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File(name), Encoding.ASCII.GetBytes("PK\x03\x04 pickle"));
        var e = Assert.Throws<UserError>(() => SafetensorsFile.Open(dir.File(name)));
        Assert.Contains(name, e.Message);
        Assert.Contains("pickle", e.Message);
        e = Assert.Throws<UserError>(() => Checkpoint.Open(dir.File(name)));
        Assert.Contains("pickle", e.Message);
    }

    [Fact]
    public void A_folder_with_only_pytorch_model_bin_is_rejected()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("pytorch_model.bin"), [0x80, 0x02]);
        var e = Assert.Throws<UserError>(() => Checkpoint.Open(dir.Path));
        Assert.Contains("pytorch_model.bin", e.Message);
        Assert.Contains("safetensors", e.Message);
    }

    [Fact]
    public void A_folder_without_weights_is_rejected()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<UserError>(() => Checkpoint.Open(dir.Path));
        Assert.Contains("model.safetensors", e.Message);
    }

    [Fact]
    public void Missing_shard_names_the_index_and_the_shard()
    {
        using var dir = new TempDir();
        RawSafetensors.Write(dir.File("model-00001-of-00002.safetensors"), "{\"a\":" + Ok + "}", new byte[16]);
        File.WriteAllText(dir.File("model.safetensors.index.json"),
            "{\"metadata\":{\"total_size\":32},\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        var e = Assert.Throws<UserError>(() => Checkpoint.Open(dir.Path));
        Assert.Contains("model.safetensors.index.json", e.Message);
        Assert.Contains("model-00002-of-00002.safetensors", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Index_key_absent_from_its_shard()
    {
        using var dir = new TempDir();
        RawSafetensors.Write(dir.File("model-00001-of-00001.safetensors"), "{\"a\":" + Ok + "}", new byte[16]);
        File.WriteAllText(dir.File("model.safetensors.index.json"),
            "{\"weight_map\":{\"a\":\"model-00001-of-00001.safetensors\",\"zz\":\"model-00001-of-00001.safetensors\"}}");
        var e = Assert.Throws<UserError>(() => Checkpoint.Open(dir.Path));
        Assert.Contains("model.safetensors.index.json", e.Message);
        Assert.Contains("'zz'", e.Message);
    }

    [Theory]
    [InlineData("../model-00001-of-00001.safetensors")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/model.safetensors")]
    public void Index_shard_names_must_stay_beside_the_index(string shard)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("model.safetensors.index.json"), "{\"weight_map\":{\"a\":\"" + shard + "\"}}");
        var e = Assert.Throws<UserError>(() => Checkpoint.Open(dir.Path));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("model.safetensors.index.json", e.Message);
    }

    [Fact]
    public void Corrupt_shard_names_the_shard_and_tensor()
    {
        using var dir = new TempDir();
        RawSafetensors.Write(dir.File("model-00001-of-00001.safetensors"),
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[9],\"data_offsets\":[0,16]}}", new byte[16]);
        File.WriteAllText(dir.File("model.safetensors.index.json"), "{\"weight_map\":{\"a\":\"model-00001-of-00001.safetensors\"}}");
        var e = Assert.Throws<UserError>(() => Checkpoint.Open(dir.Path));
        Assert.Contains("model-00001-of-00001.safetensors", e.Message);
        Assert.Contains("'a'", e.Message);
    }
}
