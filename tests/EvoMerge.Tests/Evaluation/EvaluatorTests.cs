using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Models;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class EvaluatorTests
{
    /// <summary>A generator that answers from a table keyed by prompt and records its batches.</summary>
    sealed class LookupGenerator(Dictionary<string, string> answers) : ITextGenerator
    {
        public List<int> BatchSizes { get; } = [];

        public IReadOnlyList<string> Generate(
            IReadOnlyList<string> prompts,
            GenerationOptions options
        )
        {
            BatchSizes.Add(prompts.Count);
            return prompts.Select(p => answers.TryGetValue(p, out var a) ? a : "").ToArray();
        }
    }

    static readonly TaskSet Tasks = new(
        "ja_math",
        TaskSplit.Train,
        new ValueArray<TaskItem>([
            new(
                "花子は鉛筆を12本持っています。7本もらいました。鉛筆は全部で何本ですか？",
                "12 + 7 = 19。答えは19本です。\n#### 19"
            ),
            new(
                "太郎は切手を30枚持っています。8枚あげました。残りは何枚ですか？",
                "30 - 8 = 22。答えは22枚です。\n#### 22"
            ),
            new(
                "次郎は花を5本持っています。4本もらいました。全部で何本ですか？",
                "5 + 4 = 9。答えは9本です。\n#### 9"
            ),
        ])
    );

    static LookupGenerator Generator() =>
        new(
            new()
            {
                // right and Japanese; the run-on into a new question is cut away
                [PromptTemplate.JapaneseMath.Render(Tasks.Items[0].Question)] =
                    " 12 + 7 = 19。答えは19本です。\n\n問題: 3 + 4 は？ 7",
                // right but English symbols only
                [PromptTemplate.JapaneseMath.Render(Tasks.Items[1].Question)] =
                    " 30 - 8 = 22. #### 22",
                // Japanese but wrong
                [PromptTemplate.JapaneseMath.Render(Tasks.Items[2].Question)] = " 答えは5本です。",
            }
        );

    [Fact]
    public void Japanese_exact_match_needs_both_number_and_language()
    {
        var generator = Generator();
        var result = Evaluator.Evaluate(
            generator,
            Tasks,
            PromptTemplate.JapaneseMath,
            new TaskMetric.NumberExactMatchInJapanese(),
            GenerationOptions.Answer,
            batchSize: 2
        );
        Assert.Equal([2, 1], generator.BatchSizes);
        Assert.Equal(
            ("ja_math", TaskSplit.Train, "ja-exact-match"),
            (result.TaskName, result.Split, result.MetricName)
        );
        Assert.Equal(1.0 / 3, result.Accuracy, 12);
        Assert.Equal(2, result.CorrectCount);
        Assert.Equal(2, result.InLanguageCount);
        var first = result.Items[0];
        Assert.Equal("12 + 7 = 19。答えは19本です。", first.Answer);
        Assert.Equal(
            ("19", "19", true, true, 1.0),
            (first.Gold, first.Predicted, first.Correct, first.InLanguage, first.Score)
        );
        var second = result.Items[1];
        Assert.Equal(
            (true, false, 0.0, 0.0),
            (second.Correct, second.InLanguage, second.JapaneseShare, second.Score)
        );
        var third = result.Items[2];
        Assert.Equal(
            ("5", false, true, 0.0),
            (third.Predicted, third.Correct, third.InLanguage, third.Score)
        );
        Assert.Equal("問題: " + Tasks.Items[2].Question + "\n答え:", third.Prompt);
        Assert.True(result.Seconds >= 0);
    }

    [Fact]
    public void Plain_exact_match_ignores_language()
    {
        var result = Evaluator.Evaluate(
            Generator(),
            new EvaluationRequest(
                Tasks,
                PromptTemplate.JapaneseMath,
                new TaskMetric.NumberExactMatch(),
                GenerationOptions.Answer,
                8
            )
        );
        Assert.Equal(2.0 / 3, result.Accuracy, 12);
        Assert.Equal([1.0, 1.0, 0.0], result.Items.Select(i => i.Score));
    }

    [Fact]
    public void Rouge_l_scores_against_the_reference_text()
    {
        var result = Evaluator.Evaluate(
            Generator(),
            Tasks,
            PromptTemplate.JapaneseMath,
            new TaskMetric.RougeLF(),
            GenerationOptions.Answer,
            3
        );
        Assert.Equal(
            RougeL.F("12 + 7 = 19。答えは19本です。", Tasks.Items[0].Answer),
            result.Items[0].Score,
            12
        );
        Assert.True(result.Items[0].Score > 0.9);
    }

    [Fact]
    public void Progress_reports_items_done_and_cancellation_stops()
    {
        var reports = new List<int>();
        Evaluator.Evaluate(
            Generator(),
            new EvaluationRequest(
                Tasks,
                PromptTemplate.JapaneseMath,
                new TaskMetric.NumberExactMatch(),
                GenerationOptions.Answer,
                2
            ),
            new SyncProgress(reports.Add)
        );
        Assert.Equal([2, 3], reports);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() =>
            Evaluator.Evaluate(
                Generator(),
                new EvaluationRequest(
                    Tasks,
                    PromptTemplate.JapaneseMath,
                    new TaskMetric.NumberExactMatch(),
                    GenerationOptions.Answer,
                    2
                ),
                null,
                cts.Token
            )
        );
    }

    sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    [Fact]
    public void Wrong_output_count_and_bad_requests_are_refused()
    {
        var broken = new BrokenGenerator();
        Assert.Throws<InvalidOperationException>(() =>
            Evaluator.Evaluate(
                broken,
                Tasks,
                PromptTemplate.JapaneseMath,
                new TaskMetric.NumberExactMatch(),
                GenerationOptions.Answer,
                2
            )
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Evaluator.Evaluate(
                Generator(),
                Tasks,
                PromptTemplate.JapaneseMath,
                new TaskMetric.NumberExactMatch(),
                GenerationOptions.Answer,
                0
            )
        );
        Assert.Throws<ArgumentException>(() =>
            Evaluator.Evaluate(
                Generator(),
                Tasks with
                {
                    Items = ValueArray<TaskItem>.Empty,
                },
                PromptTemplate.JapaneseMath,
                new TaskMetric.NumberExactMatch(),
                GenerationOptions.Answer,
                2
            )
        );
    }

    sealed class BrokenGenerator : ITextGenerator
    {
        public IReadOnlyList<string> Generate(
            IReadOnlyList<string> prompts,
            GenerationOptions options
        ) => ["only one"];
    }

    [Theory]
    [InlineData("exact-match", typeof(TaskMetric.NumberExactMatch))]
    [InlineData("ja-exact-match", typeof(TaskMetric.NumberExactMatchInJapanese))]
    [InlineData("ROUGE-L", typeof(TaskMetric.RougeLF))]
    public void Metric_names_parse(string name, Type expected) =>
        Assert.IsType(expected, TaskMetric.Parse(name));

    [Fact]
    public void Unknown_metric_is_refused() =>
        Assert.Contains(
            "rouge-l",
            Assert.Throws<ArgumentException>(() => TaskMetric.Parse("bleu")).Message
        );
}
