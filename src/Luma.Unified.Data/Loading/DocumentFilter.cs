using System.Text;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// Splits documents into training and held-out sets by a stable hash of their id (FNV-1a with a murmur3 finaliser,
/// identical in every process and on every machine), so the split needs no index and survives re-sharding.
/// </summary>
public static class DocumentFilter
{
    /// <summary>All documents.</summary>
    public static Func<string, bool> All { get; } = _ => true;

    /// <summary>Documents whose id hashes below <paramref name="fraction"/> (held out) or, with <paramref name="heldOut"/> false, the rest.</summary>
    public static Func<string, bool> HoldOut(double fraction, bool heldOut) => id => IsHeldOut(id, fraction) == heldOut;

    /// <summary>Whether <paramref name="id"/> falls in the held-out <paramref name="fraction"/>.</summary>
    public static bool IsHeldOut(string id, double fraction)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        // FNV alone leaves the high bits of short, similar ids ("doc/001", "doc/002") nearly equal; a
        // murmur3 finaliser spreads every input bit over the whole word before it becomes a fraction.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return (hash >> 11) * (1.0 / (1UL << 53)) < fraction;
    }
}
