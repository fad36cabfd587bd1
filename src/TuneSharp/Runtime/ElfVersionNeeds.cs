// One source for two compilations: the TuneSharp library (`tunesharp doctor` reads the requirement) and the
// MSBuild inline task in Directory.Build.targets (Code Source= this file), which patches the build output.
// Why the patch: TorchSharp 0.107's libLibTorchSharp.so requires the symbol version GLIBCXX_3.4.32 (GCC 13),
// but its only symbol under that version (_ZSt21ios_base_library_initv) is a marker with no relocation.
// Debian 12 ships GCC 12's libstdc++, so the loader refuses the library. Marking that one version
// requirement weak (vna_flags |= VER_FLG_WEAK) lets it load. See shared/gpu/README.md.
// The task compiles without the SDK's symbols (no NET), so it sees the task class below; the library does not.
#nullable enable
using System;
using System.IO;
using System.Text;

namespace TuneSharp.Runtime
{
    /// <summary>Reads and weakens the version requirements (.gnu.version_r) of an ELF64 little-endian shared library.</summary>
    internal static class ElfVersionNeeds
    {
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 2;

        /// <summary>The system libstdc++ (Linux), or null.</summary>
        public static string? SystemLibStdCxx()
        {
            string[] candidates = {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
                "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6" };
            foreach (var c in candidates)
                if (File.Exists(c)) return c;
            return null;
        }

        /// <summary>True if the library at <paramref name="path"/> defines the symbol version <paramref name="version"/>.</summary>
        public static bool Defines(string path, string version)
        {
            byte[] hay = File.ReadAllBytes(path), needle = Encoding.ASCII.GetBytes(version + "\0");
            for (int i = 0; i <= hay.Length - needle.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && hay[i + j] == needle[j]) j++;
                if (j == needle.Length) return true;
            }
            return false;
        }

        /// <summary>True if <paramref name="version"/> is required weakly, false if strictly, null if not required (or not ELF64).</summary>
        public static bool? IsWeak(string path, string version)
        {
            var b = File.ReadAllBytes(path);
            if (!IsElf64(b)) return null;
            int flags = FlagsOffset(b, version);
            return flags < 0 ? null : (BitConverter.ToUInt16(b, flags) & VerFlgWeak) != 0;
        }

        /// <summary>Marks the requirement of <paramref name="version"/> weak in <paramref name="b"/>; false when it is absent or already weak.</summary>
        public static bool MarkWeak(byte[] b, string version)
        {
            if (!IsElf64(b)) throw new InvalidDataException("not a little-endian ELF64 file");
            int at = FlagsOffset(b, version);
            if (at < 0) return false;
            ushort flags = BitConverter.ToUInt16(b, at);
            if ((flags & VerFlgWeak) != 0) return false;
            flags |= VerFlgWeak;
            b[at] = (byte)flags;
            b[at + 1] = (byte)(flags >> 8);
            return true;
        }

        static bool IsElf64(byte[] b) =>
            b.Length >= 64 && b[0] == 0x7f && b[1] == (byte)'E' && b[2] == (byte)'L' && b[3] == (byte)'F' && b[4] == 2 && b[5] == 1;

        /// <summary>The byte offset of vna_flags of the Vernaux entry naming <paramref name="version"/>, or -1.</summary>
        static int FlagsOffset(byte[] b, string version)
        {
            long shoff = BitConverter.ToInt64(b, 0x28);
            int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
            for (int s = 0; s < shnum; s++)
            {
                int sh = checked((int)(shoff + (long)s * shentsize));
                if (BitConverter.ToUInt32(b, sh + 4) != ShtGnuVerneed) continue;
                long off = BitConverter.ToInt64(b, sh + 24);
                int link = (int)BitConverter.ToUInt32(b, sh + 40), count = (int)BitConverter.ToUInt32(b, sh + 44);
                long strOff = BitConverter.ToInt64(b, checked((int)(shoff + (long)link * shentsize)) + 24);
                long vn = off;
                for (int i = 0; i < count; i++)
                {
                    int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                    long aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                    for (int a = 0; a < cnt; a++)
                    {
                        int name = (int)(strOff + BitConverter.ToUInt32(b, (int)aux + 8));
                        int end = Array.IndexOf(b, (byte)0, name);
                        if (Encoding.ASCII.GetString(b, name, end - name) == version) return (int)aux + 4;
                        aux += BitConverter.ToUInt32(b, (int)aux + 12);
                    }
                    vn += BitConverter.ToUInt32(b, (int)vn + 12);
                }
            }
            return -1;
        }
    }
}

#if !NET
/// <summary>
/// MSBuild task: marks GLIBCXX_3.4.32 weak in the build-output copies of libLibTorchSharp.so when the system
/// libstdc++ lacks it, or always with <see cref="EvenIfSystemHasIt"/>. Only the output copy is patched (written to a
/// temp file, then renamed over the copy, so a hard link into the NuGet cache can never be modified).
/// </summary>
public class PatchLibStdCxxVersion : Microsoft.Build.Utilities.Task
{
    /// <summary>Copies of libLibTorchSharp.so in the output folder.</summary>
    [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();
    public string VersionName { get; set; } = "GLIBCXX_3.4.32";
    /// <summary>
    /// Patch whatever this machine's libstdc++ provides: published output (a tool package, a tarball) runs on other
    /// machines, whose libstdc++ the build cannot see. A weak requirement is still checked where the version exists.
    /// </summary>
    public bool EvenIfSystemHasIt { get; set; }

    public override bool Execute()
    {
        var system = TuneSharp.Runtime.ElfVersionNeeds.SystemLibStdCxx();
        // No Linux libstdc++ (macOS/Windows), or one that has the version: nothing to fix.
        if (!EvenIfSystemHasIt && (system == null || TuneSharp.Runtime.ElfVersionNeeds.Defines(system, VersionName)))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "libstdc++ provides " + VersionName + "; TorchSharp left as shipped.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (!TuneSharp.Runtime.ElfVersionNeeds.MarkWeak(bytes, VersionName))
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, path + ": already patched or no requirement.");
                    continue;
                }
                var tmp = path + ".patching";
                File.WriteAllBytes(tmp, bytes);
                File.Delete(path);
                File.Move(tmp, path);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "TuneSharp: marked " + VersionName + " weak in " + path);
            }
            catch (Exception e)
            {
                Log.LogError(path + ": cannot patch for " + VersionName + ": " + e.Message);
                return false;
            }
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
