using EvoMerge.Merging;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>Statistics and determinism of the counter-based CPU mask generator.</summary>
public sealed class CounterMaskTests
{
    const int N = 1 << 20;

    static bool[] Keeps(CounterMask mask, double density, long start = 0)
    {
        var values = new float[N];
        Array.Fill(values, 1f);
        mask.Apply(values, start, density);
        return values.Select(v => v == 1f).ToArray();
    }

    static void WithinSixSigma(double observed, double p, int n, string what)
    {
        double bound = 6 * Math.Sqrt(p * (1 - p) / n);
        Assert.True(Math.Abs(observed - p) <= bound, $"{what}: {observed} vs {p} ± {bound}");
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Keep_rate_is_density_over_a_million_elements(double density)
    {
        var keep = Keeps(new CounterMask(3, "model.layers.0.mlp.up_proj.weight", 0), density);
        WithinSixSigma(keep.Count(k => k) / (double)N, density, N, "keep rate");
    }

    [Fact]
    public void Masks_of_different_terms_tensors_and_seeds_are_independent()
    {
        const double d1 = 0.3,
            d2 = 0.6;
        var a = Keeps(new CounterMask(3, "model.layers.0.mlp.up_proj.weight", 0), d1);
        var others = new[]
        {
            new CounterMask(3, "model.layers.0.mlp.up_proj.weight", 1), // next term
            new CounterMask(3, "model.layers.1.mlp.up_proj.weight", 0), // next tensor
            new CounterMask(4, "model.layers.0.mlp.up_proj.weight", 0), // next seed
        };
        foreach (var other in others)
        {
            var b = Keeps(other, d2);
            double both = a.Zip(b).Count(x => x.First && x.Second) / (double)N;
            WithinSixSigma(both, d1 * d2, N, "overlap rate");
        }
        // Neighbouring elements of one mask are independent too.
        double pairs = a.Zip(a.Skip(1)).Count(x => x.First && x.Second) / (double)(N - 1);
        WithinSixSigma(pairs, d1 * d1, N - 1, "adjacent pairs");
    }

    [Fact]
    public void Masks_are_deterministic_and_independent_of_chunking()
    {
        var mask = new CounterMask(42, "lm_head.weight", 2);
        // Pinned draws: a change here silently changes every seeded CPU merge.
        // (Values from an independent re-implementation of MaskSeeds + keyed lowbias32.)
        Assert.Equal(0xfde02493u, mask.Draw(0));
        Assert.Equal(0xeca7a81cu, mask.Draw(1));
        Assert.Equal(0xe8f5bd72u, new CounterMask(42, "lm_head.weight", 2).Draw(1000));
        var whole = Keeps(mask, 0.4);
        // The same elements applied in odd-sized pieces at their offsets give the same mask.
        var pieces = new float[N];
        Array.Fill(pieces, 1f);
        int at = 0;
        foreach (int size in new[] { 7, 4093, 100_000, N })
        {
            int len = Math.Min(size, N - at);
            mask.Apply(pieces.AsSpan(at, len), at, 0.4);
            at += len;
        }
        Assert.Equal(whole, pieces.Select(v => v == 1f).ToArray());
        // The vectorized path agrees with the scalar definition, also across the 2³² boundary.
        for (int j = 0; j < 5000; j++)
            Assert.Equal(mask.Keep(j, 0.4), whole[j]);
        long high = (1L << 32) - 20;
        var across = Keeps(mask, 0.4, high);
        for (int j = 0; j < 40; j++)
            Assert.Equal(mask.Keep(high + j, 0.4), across[j]);
        Assert.NotEqual(Keeps(mask, 0.4, 1L << 32).Take(64), whole.Take(64));
    }

    [Fact]
    public void Per_element_probabilities_fill_a_tensor_mask()
    {
        using var scope = NewDisposeScope();
        var p = linspace(0, 1, N, dtype: ScalarType.Float32);
        var mask = empty(N, ScalarType.Float32);
        var counter = new CounterMask(5, "w", 0);
        counter.Fill(mask, p, 0);
        // Kept fraction in each tenth of [0, 1] is that tenth's mean probability.
        for (int tenth = 0; tenth < 10; tenth++)
        {
            int n = N / 10;
            double kept = mask.narrow(0, tenth * n, n).sum().item<float>() / n;
            double expected = (tenth + 0.5) / 10;
            Assert.True(Math.Abs(kept - expected) < 0.005, $"tenth {tenth}: {kept}");
        }
        Assert.Equal(counter.Keep(123, p[123].item<float>()), mask[123].item<float>() == 1f);
    }
}
