using Luma.Unified.Runtime.Native;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Runtime;

public sealed class ElfVersionRequirementsTests
{
    [Fact]
    public void MarkWeakSetsExactlyTheWeakBitOfTheNamedVersion()
    {
        using var temp = new TempDirectory();
        var copy = temp.Combine("libLibTorchSharp.so");
        File.Copy(TorchNativeLoader.FindShim(), copy);
        var target = ElfVersionRequirements.Read(copy).Single(r => r.Version == "GLIBCXX_3.4.32");
        // Make the copy strict again, as it ships in the NuGet package.
        var bytes = File.ReadAllBytes(copy);
        bytes[target.FlagsOffset] &= unchecked((byte)~0x2);
        File.WriteAllBytes(copy, bytes);
        Assert.False(ElfVersionRequirements.Read(copy).Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);

        Assert.True(ElfVersionRequirements.MarkWeak(copy, "GLIBCXX_3.4.32"));

        var after = File.ReadAllBytes(copy);
        var changed = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] != after[i]).ToList();
        Assert.Equal([(int)target.FlagsOffset], changed);
        var requirements = ElfVersionRequirements.Read(copy);
        Assert.True(requirements.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(requirements.Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak));
        Assert.False(ElfVersionRequirements.MarkWeak(copy, "GLIBCXX_3.4.32"));
    }

    [Fact]
    public void ANonElfFileIsRejectedWithItsPath()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("not-a-library.so");
        File.WriteAllText(path, "hello, this is text and not an ELF shared object at all........................");

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionRequirements.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
