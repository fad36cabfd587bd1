namespace TuneSharp.Runtime;

/// <summary>Reads the version requirements (.gnu.version_r) of an ELF64 shared library.</summary>
internal static class ElfVersionNeeds
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 2;

    /// <summary>True if <paramref name="version"/> is required weakly, false if strictly, null if not required.</summary>
    public static bool? IsWeak(string path, string version)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != 'E' || b[4] != 2) return null;
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
                    ushort flags = BitConverter.ToUInt16(b, (int)aux + 4);
                    int name = (int)(strOff + BitConverter.ToUInt32(b, (int)aux + 8));
                    int end = Array.IndexOf(b, (byte)0, name);
                    if (System.Text.Encoding.ASCII.GetString(b, name, end - name) == version) return (flags & VerFlgWeak) != 0;
                    aux += BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
        return null;
    }
}
