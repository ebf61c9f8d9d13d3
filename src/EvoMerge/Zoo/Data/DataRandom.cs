namespace EvoMerge.Zoo.Data;

/// <summary>
/// xoshiro256** (Blackman and Vigna 2018) seeded through SplitMix64: a fixed, documented algorithm,
/// so the task data is the same on every .NET version and platform (System.Random's algorithm is
/// unspecified and has changed between releases).
/// </summary>
public sealed class DataRandom
{
    ulong s0,
        s1,
        s2,
        s3;

    /// <summary>Seeds the four state words with consecutive SplitMix64 outputs of <paramref name="seed"/>.</summary>
    public DataRandom(ulong seed)
    {
        var sm = seed;
        s0 = SplitMix64(ref sm);
        s1 = SplitMix64(ref sm);
        s2 = SplitMix64(ref sm);
        s3 = SplitMix64(ref sm);
    }

    /// <summary>
    /// An independent stream per purpose: the seed mixed with a 64-bit FNV-1a hash of
    /// <paramref name="stream"/>, so resizing one file does not change the others.
    /// </summary>
    public static DataRandom ForStream(ulong seed, string stream)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(stream))
            hash = (hash ^ b) * 1099511628211UL;
        var mixed = seed ^ hash;
        return new DataRandom(SplitMix64(ref mixed));
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014): advances <paramref name="state"/> and returns the next output.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="count"/>), without modulo bias (rejection).</summary>
    public int Next(int count)
    {
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "must be > 0");
        var n = (ulong)count;
        var limit = ulong.MaxValue - ulong.MaxValue % n;
        ulong x;
        do x = NextUInt64();
        while (x >= limit);
        return (int)(x % n);
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>] (both inclusive).</summary>
    public int Between(int min, int max) =>
        max < min
            ? throw new ArgumentOutOfRangeException(nameof(max), max, $"must be >= {min}")
            : min + Next(max - min + 1);

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
