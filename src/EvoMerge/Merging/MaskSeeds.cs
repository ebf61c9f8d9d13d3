using EvoMerge.Common.Random;

namespace EvoMerge.Merging;

/// <summary>
/// Seeds for random masks that do not depend on the process: a mask is a function of (merge seed,
/// tensor name, task-vector index, block), so the same seed gives the same merge in any run, in any
/// tensor order, on any device. The block is the 2³²-element block of the index and the seed keys
/// <see cref="CounterMask"/>. (string.GetHashCode is randomized per process; this is
/// <see cref="Fnv1a"/> over the name followed by <see cref="SplitMix64"/> mixing.)
/// </summary>
public static class MaskSeeds
{
    /// <summary>The seed of one block (2³² elements) of one task vector's mask.</summary>
    public static ulong For(long seed, string tensorName, int term, long chunk)
    {
        ulong x = SplitMix64.Mix((ulong)seed ^ Fnv1a.Hash(tensorName));
        x = SplitMix64.Mix(x ^ (ulong)(term + 1) * SplitMix64.Gamma);
        x = SplitMix64.Mix(x ^ (ulong)(chunk + 1) * 0xC2B2AE3D27D4EB4FUL);
        // libtorch's CPU generator takes a 64-bit seed; keep it positive for APIs that take long.
        return x & 0x7FFF_FFFF_FFFF_FFFFUL;
    }
}
