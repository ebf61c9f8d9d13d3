using System.Numerics;

namespace EvoMerge.Common.Random;

/// <summary>The complete state of a <see cref="Xoshiro256StarStar"/> generator (save it to resume a run).</summary>
/// <param name="S0">State word 0.</param>
/// <param name="S1">State word 1.</param>
/// <param name="S2">State word 2.</param>
/// <param name="S3">State word 3.</param>
/// <param name="SpareNormal">The second Box–Muller normal, not yet handed out.</param>
public sealed record RngState(ulong S0, ulong S1, ulong S2, ulong S3, double? SpareNormal);

/// <summary>
/// The project's one random number generator: xoshiro256** (Blackman &amp; Vigna 2018,
/// https://prng.di.unimi.it/xoshiro256starstar.c) seeded through <see cref="SplitMix64"/>, with
/// Box–Muller normals. Written here rather than using <see cref="System.Random"/>, whose algorithm
/// may change between .NET versions: seeded runs, snapshots and the shipped task data must replay
/// exactly on every platform, and <see cref="State"/> can be saved and restored for resume. The
/// optimizers draw from it (passed explicitly to Ask), the zoo's data generator one stream per file
/// (<see cref="ForStream"/>). Mutable and not thread-safe.
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
        // Consecutive SplitMix64 outputs: similar seeds give unrelated, non-zero states.
        var x = seed;
        s0 = SplitMix64.Next(ref x);
        s1 = SplitMix64.Next(ref x);
        s2 = SplitMix64.Next(ref x);
        s3 = SplitMix64.Next(ref x);
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

    /// <summary>
    /// An independent stream per purpose: the seed mixed with the FNV-1a hash of
    /// <paramref name="stream"/>, so resizing one data file does not change the others.
    /// </summary>
    public static Xoshiro256StarStar ForStream(ulong seed, string stream) =>
        new(SplitMix64.Mix(seed ^ Fnv1a.Hash(stream)));

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

    /// <summary>A uniform integer in [0, <paramref name="count"/>) without modulo bias (see <see cref="TryBelow"/>).</summary>
    public int Next(int count)
    {
        int value;
        while (!TryBelow(NextUInt64(), count, out value)) { }
        return value;
    }

    /// <summary>
    /// The one bounded-integer rule, for this generator and for any other stream of 64-bit draws:
    /// <paramref name="draw"/> modulo <paramref name="count"/>, refused (draw again) when the draw lies
    /// at or above the largest multiple of <paramref name="count"/> below 2⁶⁴ − 1, so every value is
    /// equally likely. (The shipped task data was generated with exactly this rule; keep it.)
    /// </summary>
    public static bool TryBelow(ulong draw, int count, out int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var n = (ulong)count;
        value = (int)(draw % n);
        return draw < ulong.MaxValue - ulong.MaxValue % n;
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive).</summary>
    public int Between(int min, int max) =>
        max < min
            ? throw new ArgumentOutOfRangeException(nameof(max), max, $"must be >= {min}")
            : min + Next(max - min + 1);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates, from the end).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var k = Next(i + 1);
            (items[i], items[k]) = (items[k], items[i]);
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
}
