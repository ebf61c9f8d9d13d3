using EvoMerge.Common;
using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class MultipleChoiceEvaluatorTests
{
    /// <summary>Log-likelihood from a table keyed by continuation; records the requests.</summary>
    sealed class TableScorer(Dictionary<string, double> table) : ILogLikelihoodScorer
    {
        public List<LogLikelihoodRequest> Seen { get; } = [];

        public IReadOnlyList<double> LogLikelihoods(IReadOnlyList<LogLikelihoodRequest> requests)
        {
            Seen.AddRange(requests);
            return requests.Select(r => table[r.Continuation]).ToArray();
        }
    }

    [Fact]
    public void Picks_the_most_likely_choice_raw_and_per_character()
    {
        var set = new MultipleChoiceSet(
            "animals",
            TaskSplit.Validation,
            new ValueArray<MultipleChoiceItem>([
                new("犬は何と鳴きますか？", new ValueArray<string>(["ワン", "ニャー"]), 0),
                // raw favours the short wrong choice, per character the long right one
                new("猫は何と鳴きますか？", new ValueArray<string>(["ワ", "ニャーニャー"]), 1),
            ])
        );
        var scorer = new TableScorer(
            new()
            {
                [" ワン"] = -1.0,
                [" ニャー"] = -3.0,
                [" ワ"] = -2.0, // -1.0 per character
                [" ニャーニャー"] = -3.5, // -0.5 per character
            }
        );
        var result = MultipleChoiceEvaluator.Evaluate(
            scorer,
            set,
            PromptTemplate.JapaneseMath,
            batchSize: 3
        );
        Assert.Equal(4, scorer.Seen.Count);
        Assert.Equal("問題: 犬は何と鳴きますか？\n答え:", scorer.Seen[0].Context);
        Assert.Equal(
            (0, 0, true),
            (result.Items[0].Chosen, result.Items[0].ChosenNormalized, result.Items[0].Correct)
        );
        Assert.Equal(
            (0, 1, false, true),
            (
                result.Items[1].Chosen,
                result.Items[1].ChosenNormalized,
                result.Items[1].Correct,
                result.Items[1].CorrectNormalized
            )
        );
        Assert.Equal(0.5, result.Accuracy, 12);
        Assert.Equal(1.0, result.NormalizedAccuracy, 12);
    }
}
