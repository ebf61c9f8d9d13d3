using System.Numerics;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>The complete state of a <see cref="Xoshiro256StarStar"/> generator (save it to resume a run).</summary>
/// <param name="S0">State word 0.</param>
/// <param name="S1">State word 1.</param>
/// <param name="S2">State word 2.</param>
/// <param name="S3">State word 3.</param>
/// <param name="SpareNormal">The second Box–Muller normal, not yet handed out.</param>
public sealed record RngState(ulong S0, ulong S1, ulong S2, ulong S3, double? SpareNormal);

/// <summary>
/// xoshiro256** (Blackman &amp; Vigna 2018, https://prng.di.unimi.it/xoshiro256starstar.c) seeded
/// through SplitMix64, with Box–Muller normals. Written here rather than using
/// <see cref="System.Random"/>, whose algorithm may change between .NET versions: seeded runs and
/// snapshots must replay exactly, and <see cref="State"/> can be saved and restored for resume.
/// The generator is mutable and not thread-safe; it is passed explicitly to Ask.
/// </summary>
public sealed class Xoshiro256StarStar
{
    ulong s0,
        s1,
        s2,
        s3;
    double? spare;

    /// <summary>A generator seeded from <paramref name="seed"/> (any value, zero included).</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        // SplitMix64 expands the seed so that similar seeds give unrelated, non-zero states.
        var x = seed;
        s0 = SplitMix64(ref x);
        s1 = SplitMix64(ref x);
        s2 = SplitMix64(ref x);
        s3 = SplitMix64(ref x);
    }

    /// <summary>A generator that continues exactly from a saved <paramref name="state"/>.</summary>
    public Xoshiro256StarStar(RngState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException(
                "An all-zero xoshiro256** state never leaves zero.",
                nameof(state)
            );
        (s0, s1, s2, s3, spare) = (state.S0, state.S1, state.S2, state.S3, state.SpareNormal);
    }

    /// <summary>The current state; a generator built from it produces the same stream from here on.</summary>
    public RngState State => new(s0, s1, s2, s3, spare);

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double NextDouble(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="count"/>) without modulo bias (Lemire's method).</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var n = (ulong)count;
        var threshold = (0 - n) % n;
        while (true)
        {
            var high = Math.BigMul(NextUInt64(), n, out var low);
            if (low >= threshold)
                return (int)high;
        }
    }

    /// <summary>A standard normal N(0, 1) sample (Box–Muller; the pair's second value is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (spare is { } cached)
        {
            spare = null;
            return cached;
        }
        var u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        spare = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
