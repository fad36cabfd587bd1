using TuneSharp.IO;

namespace TuneSharp.Tests.IO;

public class AtomicWriteTests
{
    [Fact]
    public void Folder_is_untouched_when_write_throws_and_no_temp_is_left()
    {
        using var root = new TempDir();
        string dir = root.File("ckpt");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), "old");

        var e = Assert.Throws<InvalidOperationException>(() => AtomicFolder.Write(dir, tmp =>
        {
            File.WriteAllText(Path.Combine(tmp, "config.json"), "new");
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("disk full", e.Message);
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir, "config.json")));
        Assert.Equal([dir], Directory.GetDirectories(root.Path));
    }

    [Fact]
    public void Folder_is_replaced_whole()
    {
        using var root = new TempDir();
        string dir = root.File("ckpt");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "stale.txt"), "old");

        AtomicFolder.Write(dir, tmp => File.WriteAllText(Path.Combine(tmp, "config.json"), "new"));
        Assert.Equal(["config.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal([dir], Directory.GetDirectories(root.Path));
    }

    [Fact]
    public void Folder_is_created_when_absent()
    {
        using var root = new TempDir();
        string dir = root.File("a/b/ckpt/");
        AtomicFolder.Write(dir, tmp => File.WriteAllText(Path.Combine(tmp, "x"), "1"));
        Assert.Equal("1", File.ReadAllText(Path.Combine(dir, "x")));
    }

    [Fact]
    public void File_is_untouched_when_write_throws()
    {
        using var root = new TempDir();
        string path = root.File("model.safetensors");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new IOException("boom");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(root.Path));

        AtomicFile.WriteAllText(path, "new ✓");
        Assert.Equal("new ✓", File.ReadAllText(path));
        Assert.Equal(7, new FileInfo(path).Length); // UTF-8, no BOM
    }

    [Fact]
    public void A_write_killed_before_its_rename_leaves_a_temp_folder_that_the_next_write_removes()
    {
        // What kill -9 during a checkpoint write leaves (docs/RELIABILITY.md): a complete or torn .name.tmp-* folder,
        // and, between the two renames of a replacement, a .name.old-* folder with no name folder.
        using var root = new TempDir();
        string dir = root.File("step-000005");
        Directory.CreateDirectory(Path.Combine(root.Path, ".step-000005.tmp-0123"));
        Directory.CreateDirectory(Path.Combine(root.Path, ".step-000005.old-4567"));
        Directory.CreateDirectory(Path.Combine(root.Path, ".step-000006.tmp-89ab")); // another folder's: not ours to delete

        AtomicFolder.Write(dir, tmp => File.WriteAllText(Path.Combine(tmp, "a.txt"), "new"));
        Assert.Equal(["step-000005", ".step-000006.tmp-89ab"],
            Directory.GetDirectories(root.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).Reverse());
    }
}
