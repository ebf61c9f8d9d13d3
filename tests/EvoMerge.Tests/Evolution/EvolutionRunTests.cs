using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using EvoMerge.Routing;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Evolution;

/// <summary>
/// The run loop end to end on real checkpoints: the llama-family fixtures (with the llama-tiny
/// SentencePiece tokenizer, same 512-token vocabulary) stand in for a zoo; ROUGE-L gives graded scores.
/// </summary>
[Collection(ConsoleCaptureCollection.Name)] // one test reads what the CLI printed
public sealed class EvolutionRunTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-run-").FullName;

    public EvolutionRunTests()
    {
        FixtureZoo.CopyInto(_dir);
        Directory.CreateDirectory(Path.Combine(_dir, "tasks"));
        File.Copy(
            Path.Combine(Fixtures.RepoRoot, "data/tasks/ja_math_train.jsonl"),
            Path.Combine(_dir, "tasks/ja_math_train.jsonl")
        );
        File.Copy(
            Path.Combine(Fixtures.RepoRoot, "data/tasks/ja_math_test.jsonl"),
            Path.Combine(_dir, "tasks/ja_math_test.jsonl")
        );
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Config(string name, string body)
    {
        var path = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(path, $"name: {name}\nseed: 7\ndevice: cpu\n" + body);
        return path;
    }

    const string Task = """
        fitness:
          - task: tasks/ja_math_train.jsonl
            limit: 3
            prompt: "問題: {question}\n答え:"
            metric: rouge-l
            max_new_tokens: 5
        """;

    string PsConfig(string name) =>
        Config(
            name,
            "mode: ps\nbudget: 12\npopulation: 4\nbase_model: zoo/base\nsources: [zoo/model_a, zoo/model_b]\nmethod: dare_ties\n"
                + Task
        );

    RunResult Run(
        string configFile,
        string runs,
        bool resume = false,
        int stopAfter = int.MaxValue,
        Action<string>? notice = null
    )
    {
        var config = ExperimentConfigLoader.Load(configFile);
        var folder = new RunFolder(Path.Combine(runs, config.Name));
        using var evaluator = CandidateEvaluators.Create(config, CPU);
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress<RunProgress>(p =>
        {
            if (p.Evaluations >= stopAfter)
                cancel.Cancel();
        });
        return EvolutionRun.Run(config, evaluator, folder, resume, progress, cancel.Token, notice);
    }

    static string Comparable(RunFolder folder) =>
        string.Join(
            "\n",
            folder
                .ReadLog()
                .Select(e =>
                    $"{e.Generation}/{e.Index} {string.Join(",", e.Genome.Select(g => g.ToString("R")))} {e.Fitness:R}\n{e.Phenotype}"
                )
        );

    [Fact]
    public void Ps_run_writes_its_folder_and_improves_on_nothing_it_cannot_measure()
    {
        var result = Run(PsConfig("ps"), Path.Combine(_dir, "runs"));
        var folder = new RunFolder(result.Folder);
        Assert.False(result.Interrupted);
        Assert.Equal(12, result.Evaluations);
        Assert.Equal(3, result.Generations);
        Assert.Equal(12, folder.ReadLog().Count);
        Assert.Equal(3, folder.ReadGenerations().Count);
        Assert.Equal(folder.ReadLog().Max(e => e.Fitness), result.BestFitness);
        Assert.True(result.BestFitness > 0, "ROUGE-L of random models is small but not zero");
        // The best recipe is mergekit YAML that the merge command accepts as is.
        var best = File.ReadAllText(folder.File("best.yaml"));
        Assert.Contains("merge_method: dare_ties", best);
        Assert.All(folder.ReadLog().SelectMany(e => e.Genome), g => Assert.InRange(g, 0, 1));
        Assert.Equal(
            EvoMerge.Recipes.RecipeYaml.Parse(best),
            EvoMerge.Recipes.RecipeYaml.Parse(folder.ReadLog().MaxBy(e => e.Fitness)!.Phenotype)
        );
    }

    [Fact]
    public void Interrupted_then_resumed_run_equals_the_uninterrupted_run()
    {
        var whole = Run(PsConfig("resume"), Path.Combine(_dir, "whole"));
        var first = Run(PsConfig("resume"), Path.Combine(_dir, "split"), stopAfter: 6); // stops inside generation 1
        Assert.True(first.Interrupted);
        Assert.Equal(1, first.Generations);
        var split = new RunFolder(first.Folder);
        Assert.Equal(4, split.ReadLog().Count); // only the full generation is kept
        var resumed = Run(PsConfig("resume"), Path.Combine(_dir, "split"), resume: true);
        Assert.False(resumed.Interrupted);
        Assert.Equal(whole.BestGenome, resumed.BestGenome);
        Assert.Equal(whole.BestFitness, resumed.BestFitness);
        Assert.Equal(Comparable(new RunFolder(whole.Folder)), Comparable(split));
    }

    [Theory]
    [InlineData("log_deleted", "log.jsonl", "missing, but optimizer.json saw 4 evaluations")]
    [InlineData("log_cut", "log.jsonl", "holds 2 lines but optimizer.json saw 4")]
    [InlineData("log_torn_inside", "log.jsonl", "line 4 is not valid JSON")]
    [InlineData(
        "generations_deleted",
        "generations.jsonl",
        "missing, but optimizer.json saw 1 generations"
    )]
    [InlineData("config_deleted", "config.json", "missing: the run's config cannot be checked")]
    [InlineData("optimizer_empty", "optimizer.json", "damaged optimizer state")]
    [InlineData("optimizer_truncated", "optimizer.json", "damaged optimizer state")]
    [InlineData("optimizer_garbage", "optimizer.json", "damaged optimizer state")]
    public void Damaged_run_is_refused_on_resume_with_one_line(
        string damage,
        string file,
        string problem
    )
    {
        var runs = Path.Combine(_dir, damage);
        var first = Run(PsConfig("damaged"), runs, stopAfter: 6);
        var folder = new RunFolder(first.Folder);
        var path = Path.Combine(first.Folder, file);
        var lines = File.ReadAllLines(path);
        switch (damage)
        {
            case "log_deleted" or "generations_deleted" or "config_deleted":
                File.Delete(path);
                break;
            case "log_cut":
                File.WriteAllLines(path, lines[..2]);
                break;
            case "log_torn_inside":
                File.WriteAllText(path, string.Join("\n", lines)[..^5]);
                break;
            case "optimizer_empty":
                File.WriteAllText(path, "");
                break;
            case "optimizer_truncated":
                File.WriteAllText(path, File.ReadAllText(path)[..40]);
                break;
            case "optimizer_garbage":
                File.WriteAllBytes(path, [0xff, 0x00, 0x13, 0x37]);
                break;
        }
        var error = Assert.Throws<RunFolderException>(() =>
            Run(PsConfig("damaged"), runs, resume: true)
        );
        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        _ = folder;
    }

    [Fact]
    public void Torn_line_after_the_last_checkpoint_is_dropped_with_one_line_and_the_resume_is_exact()
    {
        var whole = Run(PsConfig("torn"), Path.Combine(_dir, "whole"));
        var first = Run(PsConfig("torn"), Path.Combine(_dir, "split"), stopAfter: 6);
        var log = new RunFolder(first.Folder).Log;
        File.AppendAllText(log, "{\"generation\":1,\"ind");
        var notices = new List<string>();
        var resumed = Run(
            PsConfig("torn"),
            Path.Combine(_dir, "split"),
            resume: true,
            notice: notices.Add
        );
        Assert.Equal(
            $"resuming at generation 1 (4 evaluations): {log}: dropped a torn last line "
                + "(20 bytes, not valid JSON: {\"generation\":1,\"ind) written after the last checkpoint",
            Assert.Single(notices)
        );
        Assert.Equal(whole.BestFitness, resumed.BestFitness);
        Assert.Equal(
            Comparable(new RunFolder(whole.Folder)),
            Comparable(new RunFolder(first.Folder))
        );
    }

    [Fact]
    public async Task Lines_of_an_unfinished_generation_are_dropped_with_one_line_through_the_cli()
    {
        var whole = Run(PsConfig("unfinished"), Path.Combine(_dir, "whole"));
        var runs = Path.Combine(_dir, "split");
        var first = Run(PsConfig("unfinished"), runs, stopAfter: 6);
        // A kill between appending generation 1's log and saving its checkpoint, then a torn generations line.
        var split = new RunFolder(first.Folder);
        File.AppendAllLines(
            split.Log,
            File.ReadLines(new RunFolder(whole.Folder).Log).Skip(4).Take(3)
        );
        File.AppendAllText(split.Log, "{\"gen");
        File.AppendAllText(split.Generations, "\u0000\u0000\u0000");
        var (code, error) = await CliCapture.Run([
            "evolve",
            PsConfig("unfinished"),
            "--runs",
            runs,
            "--resume",
            "--device",
            "cpu",
        ]);
        Assert.Equal(0, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            $"note: resuming at generation 1 (4 evaluations): {split.Log}: dropped 4 lines, the last one torn "
                + $"(5 bytes, not valid JSON: {{\"gen) written after the last checkpoint; {split.Generations}: "
                + "dropped a torn last line (3 bytes, not valid JSON: ???) written after the last checkpoint",
            line
        );
        Assert.Equal(Comparable(new RunFolder(whole.Folder)), Comparable(split));
    }

    [Fact]
    public void Run_folder_records_the_effective_config_and_it_round_trips()
    {
        var config = ExperimentConfigLoader.Load(PsConfig("effective")) with { Budget = 4 };
        var folder = new RunFolder(Path.Combine(_dir, "runs", "effective"));
        using (var evaluator = CandidateEvaluators.Create(config, CPU))
            EvolutionRun.Run(config, evaluator, folder, resume: false);
        var stored = folder.LoadConfig();
        Assert.Equal(config, stored); // value equality over every field, the tasks included
        Assert.Equal(4, stored.Budget); // the override, not the YAML's 12
        Assert.Equal(EffectiveConfig.ToJson(config), File.ReadAllText(folder.EffectiveConfig));
        Assert.Contains("\"mode\": \"ps\"", File.ReadAllText(folder.EffectiveConfig));
        Assert.Null(EffectiveConfig.FirstDifference(stored, config));
    }

    [Fact]
    public void Resume_with_a_different_config_names_the_field_that_differs()
    {
        var runs = Path.Combine(_dir, "runs");
        Run(PsConfig("changed"), runs, stopAfter: 6);
        var changed = File.ReadAllText(PsConfig("changed"))
            .Replace("population: 4", "population: 5");
        File.WriteAllText(Path.Combine(_dir, "changed.yaml"), changed);
        var error = Assert.Throws<InvalidOperationException>(() =>
            Run(Path.Combine(_dir, "changed.yaml"), runs, resume: true)
        );
        Assert.Contains(
            "config.json: 'population' differs: the run has 4, this one 5",
            error.Message
        );
        Assert.DoesNotContain('\n', error.Message);
        // A larger budget is a longer run of the same search: allowed, and recorded.
        var config = ExperimentConfigLoader.Load(PsConfig("changed")) with
        {
            Budget = 16,
        };
        var folder = new RunFolder(Path.Combine(runs, "changed"));
        using (var evaluator = CandidateEvaluators.Create(config, CPU))
            Assert.Equal(16, EvolutionRun.Run(config, evaluator, folder, resume: true).Evaluations);
        Assert.Equal(16, folder.LoadConfig().Budget);
    }

    [Fact]
    public void Existing_run_is_not_overwritten_without_resume()
    {
        Run(PsConfig("twice"), Path.Combine(_dir, "runs"));
        var error = Assert.Throws<InvalidOperationException>(() =>
            Run(PsConfig("twice"), Path.Combine(_dir, "runs"))
        );
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void Dfs_run_routes_through_both_models_and_writes_the_best_path()
    {
        var config = Config(
            "dfs",
            "mode: dfs\nbudget: 8\npopulation: 4\nsigma: 0.8\nmodel_a: zoo/model_a\nmodel_b: zoo/model_b\nrepeats: 2\n"
                + Task
        );
        var result = Run(config, Path.Combine(_dir, "runs"));
        var path = LayerPath.Load(Path.Combine(result.Folder, "best-path.json"));
        Assert.Equal(new PathStep("model_a", 0, 1.0), path.Steps[0]);
        Assert.Equal(3, path.Steps[^1].Layer);
        Assert.Equal(8, new RunFolder(result.Folder).ReadLog().Count);
        Assert.Equal(16 + 64, result.BestGenome.Count); // T = M·r = 8·2 slots + M² = 64 scales
    }

    [Fact]
    public void Test_split_for_fitness_is_refused_unless_allowed()
    {
        var body =
            "mode: ps\nbudget: 4\npopulation: 4\nbase_model: zoo/base\nsources: [zoo/model_a]\n"
            + Task.Replace("ja_math_train", "ja_math_test");
        Assert.Throws<TestSplitForFitnessException>(() =>
            Run(Config("leak", body), Path.Combine(_dir, "runs"))
        );
        var allowed = Run(
            Config("leak-ok", body + "\nallow_test_split_for_fitness: true\n"),
            Path.Combine(_dir, "runs")
        );
        Assert.Equal(4, allowed.Evaluations);
    }

    [Theory]
    [InlineData("mode: ps\nbogus: 1\n", "unknown key 'bogus'")]
    [InlineData("budget: 3\n", "missing 'mode'")]
    [InlineData("mode: sideways\n", "unknown mode 'sideways'")]
    [InlineData("mode: ps\nbase_model: zoo/base\nsources: [zoo/nowhere]\n", "model not found")]
    [InlineData("mode: dfs\nmodel_a: zoo/model_a\n", "DFS needs 'model_a' and 'model_b'")]
    [InlineData("mode: ps\nbudgt: 3\n", "unknown key 'budgt'; did you mean 'budget'?")]
    [InlineData("mode: ps\nseed: 3\nseed: 4\n", "Duplicate key")]
    [InlineData("mode: ps\nname: ../..\n", "'name' must be a plain folder name")]
    [InlineData("mode: ps\nname: .\n", "'name' must be a plain folder name")]
    [InlineData("mode: ps\nname: [a]\n", "'name' must be a single value, found a list")]
    [InlineData(
        "mode: ps\nfitness:\n  - task: tasks/ja_math_train.jsonl\n    limit: ten\n    prompt: x\n",
        "'limit' must be a whole number >= 0, got 'ten'"
    )]
    [InlineData(
        "mode: ps\nfitness:\n  - task: tasks/ja_math_train.jsonl\n    promt: x\n",
        "unknown task key 'promt'; did you mean 'prompt'?"
    )]
    public void Malformed_configs_name_the_file_and_the_problem(string body, string problem)
    {
        var file = Config("bad", body + (body.Contains("fitness") ? "" : Task));
        if (body.Contains("name:"))
            File.WriteAllText(file, body + Task); // without Config's own name line
        var error = Assert.Throws<ExperimentConfigException>(() =>
            ExperimentConfigLoader.Load(file)
        );
        Assert.Contains(problem, error.Message);
        Assert.StartsWith(file, error.Message);
    }

    [Fact]
    public async Task Force_deletes_only_a_run_folder_that_holds_nothing_but_run_files()
    {
        var runs = Path.Combine(_dir, "runs");
        var folder = Path.Combine(runs, "forced");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.yaml"), "name: forced\n");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        var (code, error) = await CliCapture.Run([
            "evolve",
            PsConfig("forced"),
            "--runs",
            runs,
            "--force",
        ]);
        Assert.Equal(2, code);
        Assert.StartsWith(
            $"error: {Path.Combine(folder, "notes.txt")}: was not written by a run",
            error
        );
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
        var bare = new RunFolder(Path.Combine(runs, "bare"));
        Directory.CreateDirectory(bare.Path);
        Assert.Contains(
            "has no config.yaml",
            Assert.Throws<RunFolderException>(bare.EnsureOnlyRunFiles).Message
        );
        File.Delete(Path.Combine(folder, "notes.txt"));
        File.WriteAllText(Path.Combine(folder, ".log.jsonl.0123.tmp"), "");
        new RunFolder(folder).EnsureOnlyRunFiles();
    }

    [Fact]
    public async Task Evolve_command_reports_a_bad_config_in_one_line_and_exits_2()
    {
        var file = Config("cli-bad", "mode: ps\nbogus: 1\n" + Task);
        var (code, error) = await CliCapture.Run([
            "evolve",
            file,
            "--runs",
            Path.Combine(_dir, "runs"),
        ]);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {file}: unknown key 'bogus'", error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs", "cli-bad")));
    }
}
