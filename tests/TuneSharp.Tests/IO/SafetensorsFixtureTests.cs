using TorchSharp;
using TuneSharp.IO;

namespace TuneSharp.Tests.IO;

/// <summary>The reader and writer against the real Hugging Face files of ../shared/fixtures.</summary>
public class SafetensorsFixtureTests
{
    [Theory]
    [MemberData(nameof(RawSafetensors.FixtureFiles), MemberType = typeof(RawSafetensors))]
    public void Header_matches_an_independent_parse(string relative)
    {
        string path = Fixtures.HfTiny(relative);
        var expected = RawSafetensors.ReadHeader(path, out long dataStart);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(dataStart, file.DataStart);
        Assert.Equal(expected.Keys.Order(), file.Tensors.Select(t => t.Name).Order());
        foreach (var t in file.Tensors)
        {
            var e = expected[t.Name];
            Assert.Equal(e.DType, t.DType);
            Assert.Equal(e.Shape, t.Shape);
            Assert.Equal((e.Begin, e.End), (t.Begin, t.End));
        }
    }

    [Fact]
    public void Model_files_carry_format_pt_metadata()
    {
        using var file = SafetensorsFile.Open(Fixtures.HfTiny("tiny-llama/model.safetensors"));
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Theory]
    [InlineData("tiny-llama/model.safetensors")]
    [InlineData("tiny-llama/reference.safetensors")] // I64 and F32 tensors
    public void Tensors_hold_exactly_the_file_bytes(string relative)
    {
        string path = Fixtures.HfTiny(relative);
        var raw = File.ReadAllBytes(path);
        using var scope = torch.NewDisposeScope();
        using var file = SafetensorsFile.Open(path);
        foreach (var info in file.Tensors)
        {
            var t = file.Read(info.Name);
            Assert.Equal(SafetensorsDType.ToScalarType(info.DType), t.dtype);
            Assert.Equal(info.Shape, t.shape);
            var expected = raw.AsSpan((int)(file.DataStart + info.Begin), (int)info.ByteLength);
            Assert.True(expected.SequenceEqual(t.bytes), info.Name);
        }
    }

    [Theory]
    [MemberData(nameof(RawSafetensors.FixtureFiles), MemberType = typeof(RawSafetensors))]
    public void Rewriting_a_fixture_reproduces_it_byte_for_byte(string relative)
    {
        // Same tensor order, header JSON, padding and metadata as the safetensors library that wrote the fixture.
        string path = Fixtures.HfTiny(relative);
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        using (var file = SafetensorsFile.Open(path))
        {
            // Shuffled input: the writer must impose the library's order itself.
            var tensors = file.Tensors.Reverse().Select(t => KeyValuePair.Create(t.Name, file.Read(t.Name))).ToList();
            SafetensorsWriter.Write(dir.File("out.safetensors"), tensors, file.Metadata.Count > 0 ? file.Metadata : null);
        }
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(dir.File("out.safetensors")));
    }
}
