namespace EvoMerge.Common.Random;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014;
/// https://prng.di.unimi.it/splitmix64.c), the one implementation: it seeds
/// <see cref="Xoshiro256StarStar"/>, is the document-order stream of the zoo's training windows and
/// mixes the stable hashes behind merge masks and held-out operands.
/// </summary>
public static class SplitMix64
{
    /// <summary>The increment: 2⁶⁴ / φ, odd.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Advances <paramref name="state"/> by <see cref="Gamma"/> and returns the next output.</summary>
    public static ulong Next(ref ulong state)
    {
        var z = state += Gamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The first output from state <paramref name="value"/>: a stateless 64-bit mixer.</summary>
    public static ulong Mix(ulong value) => Next(ref value);
}
