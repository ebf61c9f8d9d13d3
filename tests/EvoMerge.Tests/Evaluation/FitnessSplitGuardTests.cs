using EvoMerge.Common;
using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class FitnessSplitGuardTests
{
    static TaskSet Set(TaskSplit split) =>
        new(
            "ja_math",
            split,
            new ValueArray<TaskItem>([new("q", "1")]),
            "data/tasks/ja_math_test.jsonl"
        );

    [Fact]
    public void Test_split_is_refused_with_a_clear_error()
    {
        var e = Assert.Throws<TestSplitForFitnessException>(() =>
            FitnessSplitGuard.Ensure(Set(TaskSplit.Test), allowTestSplitForFitness: false)
        );
        Assert.Contains("data/tasks/ja_math_test.jsonl", e.Message);
        Assert.Contains("allow_test_split_for_fitness: true", e.Message);
    }

    [Fact]
    public void Test_split_passes_with_the_explicit_override() =>
        Assert.Equal(Set(TaskSplit.Test), FitnessSplitGuard.Ensure(Set(TaskSplit.Test), true));

    [Theory]
    [InlineData(TaskSplit.Train)]
    [InlineData(TaskSplit.Validation)]
    public void Other_splits_pass(TaskSplit split) =>
        Assert.Equal(split, FitnessSplitGuard.Ensure(Set(split), false).Split);
}
