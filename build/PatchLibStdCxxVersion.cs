// MSBuild inline task (RoslynCodeTaskFactory, Type="Class").
// Why: TorchSharp 0.107's libLibTorchSharp.so requires the symbol version GLIBCXX_3.4.32 (GCC 13),
// but its only symbol under that version (_ZSt21ios_base_library_initv) is a marker with no relocation.
// Debian 12 ships GCC 12's libstdc++, so the loader refuses the library. Marking that one
// version requirement weak (vna_flags |= VER_FLG_WEAK) lets it load. See shared/gpu/README.md.
// Only the build-output copy is patched (written to a temp file, then renamed over the copy, so a
// hard link into the NuGet cache can never be modified), and only when the system lacks the version.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class PatchLibStdCxxVersion : Task
{
    /// <summary>Copies of libLibTorchSharp.so in the output folder.</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
    public string VersionName { get; set; } = "GLIBCXX_3.4.32";

    const uint SHT_GNU_verneed = 0x6ffffffe;
    const ushort VER_FLG_WEAK = 2;

    public override bool Execute()
    {
        if (SystemHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, "libstdc++ provides " + VersionName + "; TorchSharp left as shipped.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var bytes = File.ReadAllBytes(path);
                int changed = MarkWeak(bytes);
                if (changed < 0) { Log.LogMessage(MessageImportance.Low, path + ": already patched or no requirement."); continue; }
                var tmp = path + ".patching";
                File.WriteAllBytes(tmp, bytes);
                File.Delete(path);
                File.Move(tmp, path);
                Log.LogMessage(MessageImportance.High, "TuneSharp: marked " + VersionName + " weak in " + path);
            }
            catch (Exception e)
            {
                Log.LogError(path + ": cannot patch for " + VersionName + ": " + e.Message);
                return false;
            }
        }
        return !Log.HasLoggedErrors;
    }

    bool SystemHasVersion()
    {
        string[] candidates = {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6" };
        var needle = Encoding.ASCII.GetBytes(VersionName + "\0");
        foreach (var c in candidates)
        {
            if (!File.Exists(c)) continue;
            return IndexOf(File.ReadAllBytes(c), needle) >= 0;
        }
        return true; // no Linux libstdc++ found (macOS/Windows): nothing to fix
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i <= hay.Length - needle.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Returns 1 if a flag was set, -1 if nothing needed changing.</summary>
    int MarkWeak(byte[] b)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != SHT_GNU_verneed) continue;
            long off = BitConverter.ToInt64(b, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(b, (int)sh + 40), count = (int)BitConverter.ToUInt32(b, (int)sh + 44);
            long strOff = BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 24);
            long vn = off;
            for (int i = 0; i < count; i++)
            {
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (int a = 0; a < cnt; a++)
                {
                    ushort flags = BitConverter.ToUInt16(b, (int)aux + 4);
                    long name = strOff + BitConverter.ToUInt32(b, (int)aux + 8);
                    if (CString(b, name) == VersionName)
                    {
                        if ((flags & VER_FLG_WEAK) != 0) return -1;
                        flags |= VER_FLG_WEAK;
                        b[aux + 4] = (byte)flags; b[aux + 5] = (byte)(flags >> 8);
                        return 1;
                    }
                    aux += BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
        return -1;
    }

    static string CString(byte[] b, long start)
    {
        long end = start;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)start, (int)(end - start));
    }
}
