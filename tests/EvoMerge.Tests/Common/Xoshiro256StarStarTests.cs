using EvoMerge.Common.Random;
using EvoMerge.Evolution.Optimizers;
using Xunit;

namespace EvoMerge.Tests.Common;

/// <summary>The one generator (and its SplitMix64 seeding), pinned against independent implementations.</summary>
public class Xoshiro256StarStarTests
{
    [Fact]
    public void SplitMix64_matches_the_published_sequence()
    {
        ulong state = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, SplitMix64.Next(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, SplitMix64.Next(ref state));
        Assert.Equal(0x06C45D188009454FUL, SplitMix64.Next(ref state));
        Assert.Equal(0x6E789E6AA1B965F4UL, SplitMix64.Mix(SplitMix64.Gamma));
    }

    [Fact]
    public void Seeded_stream_matches_an_independent_implementation()
    {
        // Values from a separate Python implementation of xoshiro256** seeded by SplitMix64(42).
        var r = new Xoshiro256StarStar(42);
        Assert.Equal(
            [
                0x15780B2E0C2EC716UL,
                0x6104D9866D113A7EUL,
                0xAE17533239E499A1UL,
                0xECB8AD4703B360A1UL,
            ],
            Enumerable.Range(0, 4).Select(_ => r.NextUInt64())
        );
    }

    [Fact]
    public void Matches_the_reference_stream()
    {
        // The reference C code from state {1, 2, 3, 4} (values as in rand_xoshiro's tests).
        var rng = new Xoshiro256StarStar(new RngState(1, 2, 3, 4, null));
        ulong[] expected =
        [
            11520,
            0,
            1509978240,
            1215971899390074240,
            1216172134540287360,
            607988272756665600,
            16172922978634559625,
            8476171486693032832,
            10595114339597558777,
            2904607092377533576,
        ];
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(_ => rng.NextUInt64()).ToArray());
        // SplitMix64's first output from 0 seeds word 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, new Xoshiro256StarStar(0).State.S0);
    }

    [Fact]
    public void State_resumes_mid_pair_and_normals_look_normal()
    {
        var rng = new Xoshiro256StarStar(123);
        rng.NextGaussian(); // leaves a spare normal in the state
        var copy = new Xoshiro256StarStar(
            OptimizerJson.Deserialize<RngState>(OptimizerJson.Serialize(rng.State))
        );
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(rng.NextGaussian(), copy.NextGaussian());
            Assert.Equal(rng.Next(7), copy.Next(7));
        }
        var samples = Enumerable.Range(0, 200_000).Select(_ => rng.NextGaussian()).ToArray();
        var mean = samples.Average();
        var variance = samples.Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        Assert.InRange(samples.Count(x => Math.Abs(x) > 1.96) / 200_000.0, 0.047, 0.053);
        var counts = new int[5];
        for (var i = 0; i < 50_000; i++)
            counts[rng.Next(5)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_600, 10_400));
        Assert.Throws<ArgumentException>(() =>
            new Xoshiro256StarStar(new RngState(0, 0, 0, 0, null))
        );
    }

    [Fact]
    public void Streams_differ_by_name_and_repeat_by_seed()
    {
        // Python: xoshiro256** seeded by SplitMix64.Mix(7 ^ FNV-1a("a")).
        Assert.Equal(0x160C32E5C856C7B1UL, Xoshiro256StarStar.ForStream(7, "a").NextUInt64());
        Assert.NotEqual(
            Xoshiro256StarStar.ForStream(7, "a").NextUInt64(),
            Xoshiro256StarStar.ForStream(7, "b").NextUInt64()
        );
        Assert.NotEqual(
            Xoshiro256StarStar.ForStream(7, "a").NextUInt64(),
            Xoshiro256StarStar.ForStream(8, "a").NextUInt64()
        );
    }

    [Fact]
    public void Bounded_draws_are_the_rejection_modulo_rule_the_task_data_was_made_with()
    {
        // Python, same rule: x % n for x below the largest multiple of n under 2⁶⁴ − 1.
        var r = new Xoshiro256StarStar(42);
        Assert.Equal(
            [2, 1, 5, 4, 4, 1, 2, 0, 5, 5, 6, 6],
            Enumerable.Range(0, 12).Select(_ => r.Next(7))
        );
        Assert.Equal(
            [239313, 181622, 595085, 489119],
            Enumerable.Range(0, 4).Select(_ => r.Next(1_000_003))
        );
        // 2⁶⁴ mod 10 = 6: the six highest draws would favour 0..5, so they are refused.
        Assert.True(Xoshiro256StarStar.TryBelow(ulong.MaxValue - 6, 10, out var last));
        Assert.Equal(9, last);
        Assert.False(Xoshiro256StarStar.TryBelow(ulong.MaxValue - 5, 10, out _));
        Assert.False(Xoshiro256StarStar.TryBelow(ulong.MaxValue, 10, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => Xoshiro256StarStar.TryBelow(0, 0, out _));
    }

    [Fact]
    public void Bounded_draws_stay_in_range_and_cover_it_evenly()
    {
        var r = new Xoshiro256StarStar(1);
        var counts = new int[7];
        for (var i = 0; i < 70_000; i++)
            counts[r.Next(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(r.Between(3, 5), 3, 5);
            Assert.InRange(r.NextDouble(), 0.0, 0.9999999999999999);
        }
        Assert.Equal(4, r.Between(4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Next(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Between(5, 4));
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation()
    {
        var items = Enumerable.Range(0, 50).ToList();
        new Xoshiro256StarStar(3).Shuffle(items);
        var again = Enumerable.Range(0, 50).ToList();
        new Xoshiro256StarStar(3).Shuffle(again);
        Assert.Equal(again, items);
        Assert.NotEqual(Enumerable.Range(0, 50), items);
        Assert.Equal(Enumerable.Range(0, 50), items.Order());
    }
}
