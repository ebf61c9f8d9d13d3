using System.Diagnostics;
using EvoMerge.Common;

namespace EvoMerge.Evaluation;

/// <summary>
/// Multiple choice by log-likelihood, the lm-eval-harness way: the context is the rendered prompt,
/// each continuation is one space plus a choice, and the choice with the highest summed
/// log-likelihood wins (<c>acc</c>); <c>acc_norm</c> divides by the choice's length in characters
/// (Unicode scalar values) so long choices are not penalised for their length.
/// </summary>
public static class MultipleChoiceEvaluator
{
    /// <summary>Scores every item's choices through <paramref name="scorer"/>, <paramref name="batchSize"/> requests per call.</summary>
    public static MultipleChoiceResult Evaluate(
        ILogLikelihoodScorer scorer,
        MultipleChoiceSet set,
        PromptTemplate template,
        int batchSize
    )
    {
        ArgumentNullException.ThrowIfNull(scorer);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "must be >= 1");
        if (set.Items.Count == 0)
            throw new ArgumentException(
                $"Multiple-choice set '{set.Name}' has no items.",
                nameof(set)
            );
        var clock = Stopwatch.StartNew();
        var requests = new List<LogLikelihoodRequest>();
        foreach (var item in set.Items)
        {
            var context = template.Render(item.Question);
            foreach (var choice in item.Choices)
                requests.Add(new LogLikelihoodRequest(context, " " + choice));
        }
        var scores = new List<double>(requests.Count);
        for (var start = 0; start < requests.Count; start += batchSize)
        {
            var batch = requests.GetRange(start, Math.Min(batchSize, requests.Count - start));
            var got = scorer.LogLikelihoods(batch);
            if (got.Count != batch.Count)
                throw new InvalidOperationException(
                    $"The scorer returned {got.Count} log-likelihoods for {batch.Count} requests."
                );
            scores.AddRange(got);
        }
        var results = new List<MultipleChoiceItemResult>(set.Items.Count);
        var offset = 0;
        for (var i = 0; i < set.Items.Count; i++)
        {
            var item = set.Items[i];
            var ll = scores.GetRange(offset, item.Choices.Count);
            offset += item.Choices.Count;
            var chosen = ArgMax(ll.Count, k => ll[k]);
            var chosenNorm = ArgMax(
                ll.Count,
                k => ll[k] / Math.Max(1, (" " + item.Choices[k]).EnumerateRunes().Count())
            );
            results.Add(
                new MultipleChoiceItemResult(
                    i,
                    new ValueArray<double>(ll),
                    chosen,
                    chosenNorm,
                    chosen == item.AnswerIndex,
                    chosenNorm == item.AnswerIndex
                )
            );
        }
        return new MultipleChoiceResult(
            set.Name,
            set.Split,
            new ValueArray<MultipleChoiceItemResult>(results),
            results.Average(r => r.Correct ? 1.0 : 0.0),
            results.Average(r => r.CorrectNormalized ? 1.0 : 0.0),
            clock.Elapsed.TotalSeconds
        );
    }

    static int ArgMax(int count, Func<int, double> value)
    {
        var best = 0;
        for (var k = 1; k < count; k++)
            if (value(k) > value(best))
                best = k;
        return best;
    }
}
