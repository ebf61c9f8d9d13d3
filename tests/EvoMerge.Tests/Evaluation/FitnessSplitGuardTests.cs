using EvoMerge.Common;
using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public sealed class FitnessSplitGuardTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-guard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static TaskSet Set(string path, params string[] questions) =>
        new(
            "ja_math",
            TaskSplit.Train,
            new ValueArray<TaskItem>(questions.Select(q => new TaskItem(q, "1"))),
            path
        );

    static readonly TaskSet Test = Set("data/tasks/ja_math_test.jsonl", "健太は卵を8個", "q2");

    [Fact]
    public void Fitness_items_that_are_test_questions_are_refused_naming_both_files_and_the_key()
    {
        var e = Assert.Throws<TestSplitForFitnessException>(() =>
            FitnessSplitGuard.Ensure(
                Set("mine.jsonl", "other", "  健太は卵を８個 "),
                [Test],
                allowTestSplitForFitness: false
            )
        );
        Assert.Contains("mine.jsonl", e.Message);
        Assert.Contains("1 of its 2 fitness items", e.Message);
        Assert.Contains("data/tasks/ja_math_test.jsonl", e.Message);
        Assert.Contains("allow_test_split_for_fitness: true", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_override_and_disjoint_items_pass()
    {
        var overlapping = Set("mine.jsonl", "q2");
        Assert.Equal(overlapping, FitnessSplitGuard.Ensure(overlapping, [Test], true));
        var disjoint = Set("mine.jsonl", "q3", "q22");
        Assert.Equal(disjoint, FitnessSplitGuard.Ensure(disjoint, [Test], false));
    }

    [Fact]
    public void Normalization_ignores_width_case_and_spacing_only()
    {
        Assert.Equal(QuestionHash.Of("Ａ  b\tC"), QuestionHash.Of(" a b c "));
        Assert.NotEqual(QuestionHash.Of("a b c"), QuestionHash.Of("a b d"));
    }

    [Fact]
    public void Test_files_are_found_by_their_name_or_their_link_target_s_name()
    {
        var test = Path.Combine(_dir, "x_test.jsonl");
        File.WriteAllText(test, "{}");
        File.WriteAllText(Path.Combine(_dir, "x_train.jsonl"), "{}");
        var hidden = Path.Combine(_dir, "sub");
        Directory.CreateDirectory(hidden);
        var link = Path.Combine(hidden, "y_train.jsonl");
        File.CreateSymbolicLink(link, test);
        File.CreateSymbolicLink(
            Path.Combine(_dir, "gone_test.jsonl"),
            Path.Combine(_dir, "nowhere")
        );
        File.CreateSymbolicLink(
            Path.Combine(_dir, "loop_test.jsonl"),
            Path.Combine(_dir, "loop_test.jsonl")
        );
        Assert.True(FitnessSplitGuard.IsMarkedTest(link));
        Assert.Equal(test, FitnessSplitGuard.Resolved(link));
        Assert.Equal([test], FitnessSplitGuard.TestFilesIn([_dir, hidden, _dir + "/"]));
        Assert.Equal([link], FitnessSplitGuard.TestFilesIn([hidden]));
    }
}
