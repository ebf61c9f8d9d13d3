using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public sealed class PairedTestTests
{
    static bool[] Bits(string s) => [.. s.Select(c => c == '1')];

    [Fact]
    public void Counts_discordant_items_and_gives_the_exact_binomial_p()
    {
        // b = 5, c = 1: p = 2 · (1 + 6) / 64 = 0.21875 (scipy.stats.binomtest(1, 6).pvalue).
        var r = PairedTest.McNemar(Bits("1111101100"), Bits("0000011100"));
        Assert.Equal((5, 1), (r.OnlyFirst, r.OnlySecond));
        Assert.Equal(0.21875, r.P, 12);
    }

    [Fact]
    public void Concordant_or_balanced_items_give_p_one_and_a_landslide_a_tiny_p()
    {
        Assert.Equal(1.0, PairedTest.McNemar(Bits("1010"), Bits("1010")).P);
        Assert.Equal(1.0, PairedTest.McNemar(Bits("10"), Bits("01")).P);
        // 30 to 0: p = 2 / 2^30.
        var all = Enumerable.Repeat(true, 30).ToArray();
        var none = new bool[30];
        Assert.Equal(2 / Math.Pow(2, 30), PairedTest.McNemar(all, none).P, 15);
        Assert.Equal(PairedTest.McNemar(all, none).P, PairedTest.McNemar(none, all).P);
    }

    [Fact]
    public void Different_item_counts_are_refused() =>
        Assert.Throws<ArgumentException>(() => PairedTest.McNemar(Bits("1"), Bits("10")));
}
