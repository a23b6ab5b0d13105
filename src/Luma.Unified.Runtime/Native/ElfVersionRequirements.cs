using System.Buffers.Binary;
using System.Text;

namespace Luma.Unified.Runtime.Native;

/// <summary>One entry of an ELF file's <c>.gnu.version_r</c> section: "I need symbol version V of library L".</summary>
/// <param name="Library">The needed library, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="IsWeak">Whether the requirement carries <c>VER_FLG_WEAK</c>: the loader then accepts its absence.</param>
/// <param name="FlagsOffset">File offset of the entry's 16-bit <c>vna_flags</c> field.</param>
public sealed record ElfVersionRequirement(string Library, string Version, bool IsWeak, long FlagsOffset);

/// <summary>
/// Reads and relaxes the version requirements (<c>Elf64_Verneed</c>/<c>Elf64_Vernaux</c>) of a 64-bit
/// little-endian ELF shared object. This is the whole of the ELF format we need — the section header
/// table and one section — so it is read directly rather than through a general ELF library.
/// </summary>
public static class ElfVersionRequirements
{
    private const uint SectionTypeGnuVerneed = 0x6ffffffe;
    private const ushort VersionFlagWeak = 0x2;

    /// <summary>All version requirements of the ELF file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<ElfVersionRequirement> Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>
    /// Marks the requirement on <paramref name="version"/> weak, writing a new copy beside the file and renaming it
    /// over the original so that a reader never sees a half-written library. Returns false when nothing needed changing.
    /// </summary>
    public static bool MarkWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var targets = Parse(bytes, path).Where(r => r.Version == version && !r.IsWeak).ToList();
        if (targets.Count == 0)
        {
            return false;
        }
        foreach (var requirement in targets)
        {
            var span = bytes.AsSpan((int)requirement.FlagsOffset, 2);
            BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span) | VersionFlagWeak));
        }
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
        }
        File.Move(temporary, path, overwrite: true);
        return true;
    }

    private static List<ElfVersionRequirement> Parse(byte[] elf, string path)
    {
        // e_ident: magic, class 2 = 64-bit, data 1 = little-endian.
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF file.");
        }
        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }
        var sectionTable = (long)U64(elf, 0x28);
        var sectionEntrySize = U16(elf, 0x3a);
        var sectionCount = U16(elf, 0x3c);

        var requirements = new List<ElfVersionRequirement>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionTable + (long)i * sectionEntrySize;
            if (U32(elf, header + 0x04) != SectionTypeGnuVerneed)
            {
                continue;
            }
            var sectionOffset = (long)U64(elf, header + 0x18);
            var entryCount = U32(elf, header + 0x2c); // sh_info: number of Verneed entries
            var stringTableHeader = sectionTable + (long)U32(elf, header + 0x28) * sectionEntrySize; // sh_link
            var strings = (long)U64(elf, stringTableHeader + 0x18);

            var verneed = sectionOffset;
            for (var n = 0; n < entryCount; n++)
            {
                var auxCount = U16(elf, verneed + 2);
                var library = CString(elf, strings + U32(elf, verneed + 4));
                var vernaux = verneed + U32(elf, verneed + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var flags = U16(elf, vernaux + 4);
                    var version = CString(elf, strings + U32(elf, vernaux + 8));
                    requirements.Add(new ElfVersionRequirement(library, version, (flags & VersionFlagWeak) != 0, vernaux + 4));
                    vernaux += U32(elf, vernaux + 12);
                }
                verneed += U32(elf, verneed + 12);
            }
        }
        return requirements;
    }

    private static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)at, 2));

    private static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)at, 4));

    private static ulong U64(byte[] b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)at, 8));

    private static string CString(byte[] b, long at)
    {
        var end = Array.IndexOf(b, (byte)0, (int)at);
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
