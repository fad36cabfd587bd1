using System.IO.MemoryMappedFiles;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TuneSharp.Training.Pretraining;

/// <summary>
/// Token data prepared once for pretraining: documents tokenized, each followed by EOS, concatenated and
/// stored as little-endian uint16 ids in shard files (<c>shard-00000.bin</c>, ...) with an <c>index.json</c>.
/// Training reads blocks straight from memory-mapped shards, so the corpus never has to fit in memory
/// and is tokenized only once.
/// </summary>
public sealed class TokenShards : IDisposable
{
    public const string IndexFile = "index.json";

    /// <summary>index.json: the shards in order and how many tokens each holds.</summary>
    public sealed record Index(
        [property: JsonPropertyName("dtype")] string DType,
        [property: JsonPropertyName("vocab_size")] int VocabSize,
        [property: JsonPropertyName("documents")] long Documents,
        [property: JsonPropertyName("tokens")] long Tokens,
        [property: JsonPropertyName("shards")] IReadOnlyList<Shard> Shards);

    public sealed record Shard([property: JsonPropertyName("file")] string File, [property: JsonPropertyName("tokens")] long Tokens);

    readonly List<(MemoryMappedFile File, MemoryMappedViewAccessor View, long Tokens)> maps = [];

    public Index Info { get; }
    public string Dir { get; }

    TokenShards(string dir, Index info)
    {
        Dir = dir; Info = info;
        foreach (var s in info.Shards)
        {
            var path = Path.Combine(dir, s.File);
            if (!File.Exists(path)) throw new UserError($"{Path.Combine(dir, IndexFile)}: shard '{s.File}' is missing");
            if (new FileInfo(path).Length != s.Tokens * 2) throw new UserError($"{path}: expected {s.Tokens * 2} bytes ({s.Tokens} uint16 tokens)");
            if (s.Tokens == 0) continue;
            var mmf = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            maps.Add((mmf, mmf.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read), s.Tokens));
        }
    }

    /// <summary>Opens prepared shards.</summary>
    public static TokenShards Open(string dir)
    {
        var path = Path.Combine(dir, IndexFile);
        if (!File.Exists(path)) throw new UserError($"{path}: not found (prepare the token shards first)");
        Index info;
        try { info = JsonSerializer.Deserialize<Index>(File.ReadAllText(path)) ?? throw new UserError($"{path}: empty"); }
        catch (JsonException e) { throw new UserError($"{path}: invalid JSON: {e.Message}"); }
        if (info.DType != "uint16") throw new UserError($"{path}: key 'dtype': only uint16 is supported, got '{info.DType}'");
        return new TokenShards(dir, info);
    }

    /// <summary>
    /// Tokenizes <paramref name="documents"/> (each followed by <paramref name="eosId"/>) into shards of at most
    /// <paramref name="shardTokens"/> tokens, written atomically into <paramref name="dir"/>.
    /// </summary>
    public static Index Write(string dir, IEnumerable<string> documents, Func<string, IReadOnlyList<int>> encode, int eosId, int vocabSize, long shardTokens = 16_000_000)
    {
        if (vocabSize > ushort.MaxValue + 1) throw new UserError($"vocab size {vocabSize} does not fit uint16 token shards");
        IO.AtomicFolder.Write(dir, tmp =>
        {
            var shards = new List<Shard>();
            long docs = 0, total = 0, inShard = 0;
            BinaryWriter? writer = null;
            void Close() { if (writer is null) return; writer.Dispose(); shards.Add(new Shard(ShardName(shards.Count), inShard)); writer = null; inShard = 0; }
            foreach (var doc in documents)
            {
                docs++;
                foreach (int id in encode(doc).Append(eosId))
                {
                    writer ??= new BinaryWriter(File.Create(Path.Combine(tmp, ShardName(shards.Count))));
                    writer.Write((ushort)id);
                    inShard++; total++;
                    if (inShard == shardTokens) Close();
                }
            }
            Close();
            var index = new Index("uint16", vocabSize, docs, total, shards);
            File.WriteAllText(Path.Combine(tmp, IndexFile), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
        });
        return Open(dir).Info;
    }

    static string ShardName(int i) => $"shard-{i:D5}.bin";

    /// <summary>Total tokens.</summary>
    public long Count => Info.Tokens;

    /// <summary>Copies tokens [start, start + length) into <paramref name="destination"/> (across shard boundaries).</summary>
    public void Read(long start, Span<long> destination)
    {
        int written = 0;
        long offset = start;
        foreach (var (_, view, tokens) in maps)
        {
            if (offset >= tokens) { offset -= tokens; continue; }
            while (written < destination.Length && offset < tokens)
                destination[written++] = view.ReadUInt16(offset++ * 2);
            offset = 0;
            if (written == destination.Length) return;
        }
        if (written < destination.Length) throw new ArgumentOutOfRangeException(nameof(start), $"tokens [{start}, {start + destination.Length}) exceed the {Count} available");
    }

    public void Dispose()
    {
        foreach (var (file, view, _) in maps) { view.Dispose(); file.Dispose(); }
        maps.Clear();
    }
}
