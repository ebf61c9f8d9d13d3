using System.Text;

namespace EvoMerge.Merging;

/// <summary>
/// Seeds for random masks that do not depend on the process: a mask is a function of (merge seed,
/// tensor name, task-vector index, block), so the same seed gives the same merge in any run, in any
/// tensor order, on any device. The block is the 2³²-element block of the index and the seed keys
/// <see cref="CounterMask"/>. (string.GetHashCode is randomized per process; this is
/// FNV-1a over UTF-8 followed by SplitMix64 mixing.)
/// </summary>
public static class MaskSeeds
{
    /// <summary>A stable 64-bit hash of a tensor name.</summary>
    public static ulong HashName(string name)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    /// <summary>The seed of one block (2³² elements) of one task vector's mask.</summary>
    public static ulong For(long seed, string tensorName, int term, long chunk)
    {
        ulong x = Mix((ulong)seed ^ HashName(tensorName));
        x = Mix(x ^ (ulong)(term + 1) * 0x9E3779B97F4A7C15UL);
        x = Mix(x ^ (ulong)(chunk + 1) * 0xC2B2AE3D27D4EB4FUL);
        // libtorch's CPU generator takes a 64-bit seed; keep it positive for APIs that take long.
        return x & 0x7FFF_FFFF_FFFF_FFFFUL;
    }

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
