using System.Diagnostics;
using EvoMerge.Cli;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Runs;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Evolution;

/// <summary>
/// Before the first evaluation: test questions are refused for fitness by content, whatever the file
/// is called, and every task file (fitness, validation, held-in) is read in full.
/// </summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class TaskPreflightTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    static readonly string Shipped = Path.Combine(Fixtures.RepoRoot, "data/tasks");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-preflight-").FullName;

    public TaskPreflightTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "tasks"));
        foreach (var split in new[] { "train", "validation", "test" })
            File.Copy(
                Path.Combine(Shipped, $"ja_math_{split}.jsonl"),
                Path.Combine(_dir, $"tasks/ja_math_{split}.jsonl")
            );
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Config(string fitness, string extra = "")
    {
        var path = Path.Combine(_dir, "c.yaml");
        File.WriteAllText(
            path,
            $"name: c\nmode: ps\nbudget: 4\nbase_model: {Family}/base\nsources: [{Family}/model_a]\n"
                + $"fitness:\n  - task: {fitness}\n    limit: 20\n    prompt: \"{{question}}\"\n"
                + extra
        );
        return path;
    }

    /// <summary>Places the test split where a hostile or careless user would, under a name that says nothing.</summary>
    string Disguise(string how)
    {
        var test = Path.Combine(_dir, "tasks/ja_math_test.jsonl");
        var other = Path.Combine(_dir, "other");
        Directory.CreateDirectory(other);
        switch (how)
        {
            case "copy in another folder":
                File.Copy(test, Path.Combine(other, "practice.jsonl"));
                return "other/practice.jsonl";
            case "copy beside it":
                File.Copy(test, Path.Combine(_dir, "tasks/ja_math_extra.jsonl"));
                return "tasks/ja_math_extra.jsonl";
            case "reflowed copy":
                File.WriteAllLines(
                    Path.Combine(other, "mine.jsonl"),
                    File.ReadLines(test)
                        .Reverse()
                        .Select(l => l.Replace("\"question\": \"", "\"question\": \"  "))
                );
                return "other/mine.jsonl";
            case "link named train":
                File.CreateSymbolicLink(Path.Combine(other, "ja_math_train.jsonl"), test);
                return "other/ja_math_train.jsonl";
            default:
                throw new ArgumentOutOfRangeException(nameof(how));
        }
    }

    [Theory]
    [InlineData("copy in another folder")]
    [InlineData("copy beside it")]
    [InlineData("reflowed copy")]
    [InlineData("link named train")]
    public void Test_questions_under_another_name_are_refused_unless_allowed(string how)
    {
        var fitness = Disguise(how);
        var config = ExperimentConfigLoader.Load(Config(fitness));
        var e = Assert.Throws<TestSplitForFitnessException>(() => TaskPreflight.Check(config));
        Assert.Contains(Path.Combine(_dir, fitness), e.Message);
        Assert.Contains("20 of its 20 fitness items", e.Message);
        Assert.Contains(Path.Combine(_dir, "tasks/ja_math_test.jsonl"), e.Message);
        Assert.Contains("allow_test_split_for_fitness: true", e.Message);
        if (how == "link named train")
            Assert.Contains("(a link to ", e.Message);

        var allowed = ExperimentConfigLoader.Load(
            Config(fitness, "allow_test_split_for_fitness: true\n")
        );
        Assert.True(allowed.AllowTestSplitForFitness);
        Assert.Empty(TaskPreflight.Check(allowed));
    }

    [Fact]
    public void The_train_split_passes_and_is_compared_with_the_test_split()
    {
        var config = ExperimentConfigLoader.Load(Config("tasks/ja_math_train.jsonl"));
        Assert.Equal([Path.Combine(_dir, "tasks/ja_math_test.jsonl")], TaskPreflight.Check(config));
    }

    static async Task<(int Code, string Err, TimeSpan Took)> Cli(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (code, err) = await CliCapture.Run(args);
        return (code, err, clock.Elapsed);
    }

    [Fact]
    public async Task Evolve_refuses_a_link_to_the_test_split_in_one_line_before_loading_anything()
    {
        var config = Config(Disguise("link named train"));
        var runs = Path.Combine(_dir, "runs");
        var (code, err, _) = await Cli("evolve", config, "--runs", runs);
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains("allow_test_split_for_fitness", line);
        Assert.False(Directory.Exists(runs));
    }

    [Theory]
    [InlineData(
        "validation",
        "{\"question\": \"q\", \"answer\": \"1\"}\n{\"question\": \"q\"\n",
        2,
        "invalid JSON"
    )]
    [InlineData("validation", "{\"question\": \"q\"}\n", 1, "missing \"answer\"")]
    [InlineData("held_in", "\n\n[1, 2]\n", 3, "expected a JSON object")]
    public async Task A_broken_validation_or_held_in_file_fails_at_start_in_one_line(
        string key,
        string content,
        int line,
        string problem
    )
    {
        var broken = Path.Combine(_dir, "tasks/broken.jsonl");
        File.WriteAllText(broken, content);
        var task = $"{{task: tasks/broken.jsonl, prompt: \"{{question}}\"}}";
        var config = Config(
            "tasks/ja_math_train.jsonl",
            key == "validation" ? $"validation: {task}\n" : $"held_in: [{task}]\n"
        );
        var runs = Path.Combine(_dir, "runs");
        var (code, err, took) = await Cli("evolve", config, "--runs", runs);
        Assert.Equal(2, code);
        var single = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {broken}:{line}: {problem}", single);
        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took.TotalSeconds:F2} s");
        Assert.False(Directory.Exists(runs));
    }
}
