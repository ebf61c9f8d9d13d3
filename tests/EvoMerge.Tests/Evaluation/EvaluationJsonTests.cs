using System.Text.Json;
using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Models;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

/// <summary>Requests and results cross process boundaries as JSON (a distributed evaluator, run logs).</summary>
public class EvaluationJsonTests
{
    static readonly TaskSet Tasks = new(
        "ja_math",
        TaskSplit.Train,
        new ValueArray<TaskItem>([
            new("花子は鉛筆を12本持っています。", "12 + 7 = 19。\n#### 19"),
            new("q2", "#### 3"),
        ]),
        "data/tasks/ja_math_train.jsonl"
    );

    [Theory]
    [InlineData("exact-match")]
    [InlineData("ja-exact-match")]
    [InlineData("rouge-l")]
    public void Requests_round_trip(string metric)
    {
        var request = new EvaluationRequest(
            Tasks,
            PromptTemplate.JapaneseMath,
            TaskMetric.Parse(metric),
            GenerationOptions.Answer,
            8
        );
        var json = JsonSerializer.Serialize(request);
        Assert.Contains($"\"kind\":\"{metric}\"", json);
        Assert.Equal(request, JsonSerializer.Deserialize<EvaluationRequest>(json));
    }

    [Fact]
    public void Threshold_survives_the_round_trip()
    {
        TaskMetric metric = new TaskMetric.NumberExactMatchInJapanese(0.8);
        Assert.Equal(
            metric,
            JsonSerializer.Deserialize<TaskMetric>(JsonSerializer.Serialize(metric))
        );
    }

    [Fact]
    public void Results_round_trip()
    {
        var item = new EvaluatedItem(
            0,
            "p",
            " 19。",
            "19。",
            "19",
            "19",
            true,
            0.0,
            false,
            1.0 / 3
        );
        var result = new EvaluationResult(
            "ja_math",
            TaskSplit.Validation,
            "ja-exact-match",
            new ValueArray<EvaluatedItem>([item, item with { Index = 1 }]),
            0.1 + 0.2,
            1.25
        );
        Assert.Equal(
            result,
            JsonSerializer.Deserialize<EvaluationResult>(JsonSerializer.Serialize(result))
        );
    }
}
