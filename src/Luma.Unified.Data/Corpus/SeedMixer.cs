namespace Luma.Unified.Data.Corpus;

/// <summary>
/// Derives independent, reproducible seeds from (seed, index) with SplitMix64. HashCode.Combine would be
/// simpler but is randomised per process, which would give every run a different corpus.
/// </summary>
public static class SeedMixer
{
    /// <summary>A 31-bit seed for <see cref="Random"/> that depends only on its arguments.</summary>
    public static int Mix(long seed, long index)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
