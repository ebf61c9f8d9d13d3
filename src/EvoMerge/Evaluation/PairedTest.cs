namespace EvoMerge.Evaluation;

/// <summary>The outcome of an exact McNemar test of two models scored on the same items.</summary>
/// <param name="OnlyFirst">Items the first model got right and the second wrong.</param>
/// <param name="OnlySecond">Items the second model got right and the first wrong.</param>
/// <param name="P">Two-sided exact p-value: 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), capped at 1.</param>
public sealed record McNemarResult(int OnlyFirst, int OnlySecond, double P);

/// <summary>
/// Paired significance over items: two models on the same items differ only where exactly one is
/// right, and under the null hypothesis each such item is a fair coin (McNemar 1947, exact form).
/// </summary>
public static class PairedTest
{
    public static McNemarResult McNemar(IReadOnlyList<bool> first, IReadOnlyList<bool> second)
    {
        if (first.Count != second.Count)
            throw new ArgumentException(
                $"paired test needs the same items: {first.Count} vs {second.Count}"
            );
        int b = 0,
            c = 0;
        for (int i = 0; i < first.Count; i++)
        {
            if (first[i] && !second[i])
                b++;
            else if (second[i] && !first[i])
                c++;
        }
        return new McNemarResult(b, c, Math.Min(1, 2 * BinomialLowerTail(Math.Min(b, c), b + c)));
    }

    /// <summary>Items scored 1 (an item passes when its metric score is 1).</summary>
    public static bool[] Passed(EvaluationResult result) =>
        [.. result.Items.Select(i => i.Score >= 1)];

    /// <summary>P(X ≤ k) for X ~ Binomial(n, ½), summed in log space (exact for the n of a task file).</summary>
    static double BinomialLowerTail(int k, int n)
    {
        if (n == 0)
            return 0.5; // no discordant item: p = 1 after doubling
        double logHalfN = n * Math.Log(0.5),
            logChoose = 0,
            sum = 0;
        for (int i = 0; i <= k; i++)
        {
            if (i > 0)
                logChoose += Math.Log(n - i + 1) - Math.Log(i);
            sum += Math.Exp(logChoose + logHalfN);
        }
        return sum;
    }
}
