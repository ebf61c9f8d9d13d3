using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Evaluation;
using EvoMerge.Models;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Evaluation;

public class ModelLogLikelihoodScorerTests
{
    [Fact]
    public void Log_likelihood_sums_the_continuation_tokens_and_prefers_the_greedy_continuation()
    {
        var folder = Fixtures.Path("models/llama-tiny");
        using var model = CausalLanguageModel.FromPretrained(folder);
        var tokenizer = TokenizerLoader.Load(folder);
        var scorer = new ModelLogLikelihoodScorer(model, tokenizer);
        const string context = "The cat sat on";
        var prompt = tokenizer.Encode(context, addBos: true).Select(t => (long)t).ToArray();
        var greedy = Generation.Generate(
            model,
            [prompt],
            new EvoMerge.Models.GenerationOptions
            {
                MaxNewTokens = 3,
                EosTokenIds = EvoMerge.Common.ValueArray<int>.Empty,
            }
        );
        var greedyText = tokenizer.Decode(prompt.Concat(greedy.Tokens[0]).Select(t => (int)t))[
            context.Length..
        ];

        var scores = scorer.LogLikelihoods([
            new(context, greedyText),
            new(context, " zebra quantum"),
        ]);
        Assert.All(scores, s => Assert.True(s < 0));
        Assert.True(scores[0] > scores[1], $"greedy {scores[0]} vs other {scores[1]}");

        // The same number by hand: one forward over the whole text, summing log p of each continuation token.
        var whole = tokenizer.Encode(context + greedyText, addBos: true);
        using var scope = NewDisposeScope();
        var logProbs = model
            .Forward(tensor(whole.Select(t => (long)t).ToArray(), [1, whole.Count]))
            .log_softmax(-1)[0];
        double expected = 0;
        for (int p = prompt.Length; p < whole.Count; p++)
            expected += logProbs[p - 1, whole[p]].item<float>();
        Assert.Equal(expected, scores[0], 4);

        // Multiple choice over the real model picks the likelier answer.
        var set = new MultipleChoiceSet(
            "probe",
            TaskSplit.Validation,
            EvoMerge.Common.ValueArray.Of(
                new MultipleChoiceItem(
                    context,
                    EvoMerge.Common.ValueArray.Of(" zebra quantum", greedyText.TrimStart()),
                    1
                )
            )
        );
        Assert.Equal(
            1.0,
            MultipleChoiceEvaluator
                .Evaluate(scorer, set, new PromptTemplate("{question}"), 1)
                .Accuracy
        );
    }
}
