using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Common;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Evolution;

/// <summary>The run loop behind the candidate seam: arrival order does not matter; PS+DFS's model A is merged in memory.</summary>
public sealed class CandidateSeamTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-seam-").FullName;

    public CandidateSeamTests()
    {
        FixtureZoo.CopyInto(_dir);
        Directory.CreateDirectory(Path.Combine(_dir, "tasks"));
        File.WriteAllText(
            Path.Combine(_dir, "tasks", "t_train.jsonl"),
            "{\"question\": \"1+1\", \"answer\": \"2\"}\n"
        );
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    ExperimentConfig PsConfig()
    {
        var file = Path.Combine(_dir, "ps.yaml");
        File.WriteAllText(
            file,
            "name: ps\nmode: ps\nseed: 3\nbudget: 18\npopulation: 6\nbase_model: zoo/base\nsources: [zoo/model_a, zoo/model_b]\n"
                + "fitness:\n  - task: tasks/t_train.jsonl\n    prompt: \"{question}\"\n    metric: exact-match\n"
        );
        return ExperimentConfigLoader.Load(file);
    }

    /// <summary>A weightless evaluator: fitness is minus the distance to a target genome; results come back shuffled.</summary>
    sealed class Sphere(IGenomeSpace space, bool shuffle) : ICandidateEvaluator
    {
        public IGenomeSpace Space => space;

        public IReadOnlyList<CandidateResult> Evaluate(
            IReadOnlyList<CandidateRequest> batch,
            IProgress<CandidateResult>? progress = null,
            CancellationToken cancellation = default
        )
        {
            var results = batch
                .Select(r => new CandidateResult(
                    r.Index,
                    ValueArray.Of(-r.Genome.Select((g, i) => Math.Pow(g - 0.1 * i, 2)).Sum()),
                    0,
                    $"w{r.Index % 3}"
                ))
                .ToList();
            if (shuffle)
                results.Reverse();
            foreach (var r in results)
                progress?.Report(r);
            return results;
        }

        public void Dispose() { }
    }

    string Log(ExperimentConfig config, bool shuffle)
    {
        var folder = new RunFolder(Path.Combine(_dir, shuffle ? "shuffled" : "ordered"));
        using var evaluator = new Sphere(GenomeSpaces.Create(config), shuffle);
        var result = EvolutionRun.Run(config, evaluator, folder, resume: false);
        Assert.Equal(18, result.Evaluations);
        return string.Join(
            "\n",
            folder
                .ReadLog()
                .Select(e => $"{string.Join(",", e.Genome)} {e.Fitness:R} {e.Phenotype}")
        );
    }

    [Fact]
    public void Run_log_does_not_depend_on_the_order_results_arrive_in()
    {
        var config = PsConfig();
        Assert.Equal(Log(config, shuffle: false), Log(config, shuffle: true));
    }

    [Fact]
    public void Evaluator_that_loses_a_candidate_is_an_error_naming_it()
    {
        var config = PsConfig();
        using var evaluator = new Lossy(GenomeSpaces.Create(config));
        var error = Assert.Throws<InvalidOperationException>(() =>
            EvolutionRun.Run(config, evaluator, new RunFolder(Path.Combine(_dir, "lossy")), false)
        );
        Assert.Contains("no result for candidate 5", error.Message);
    }

    sealed class Lossy(IGenomeSpace space) : ICandidateEvaluator
    {
        public IGenomeSpace Space => space;

        public IReadOnlyList<CandidateResult> Evaluate(
            IReadOnlyList<CandidateRequest> batch,
            IProgress<CandidateResult>? progress = null,
            CancellationToken cancellation = default
        ) =>
            batch
                .SkipLast(1)
                .Select(r => new CandidateResult(r.Index, ValueArray.Of(0.0), 0, "x"))
                .ToArray();

        public void Dispose() { }
    }

    [Fact]
    public void Ps_dfs_model_a_is_merged_in_memory_and_equals_the_merge_to_disk()
    {
        var recipeFile = Path.Combine(_dir, "best.yaml");
        File.WriteAllText(
            recipeFile,
            "merge_method: dare_ties\nbase_model: zoo/base\nparameters: {normalize: false}\nmodels:\n"
                + "  - model: zoo/model_a\n    parameters: {density: 0.4, weight: 0.7}\n"
                + "  - model: zoo/model_b\n    parameters: {density: 0.6, weight: 0.5}\n"
        );
        using var merged = MergedModel.Load(recipeFile, CPU, seed: 5);
        var disk = Path.Combine(_dir, "disk");
        MergeExecutor.Run(RecipeYaml.Load(recipeFile), disk, new MergeOptions(CPU, 5));
        using var reader = CheckpointReader.Open(disk);
        foreach (var (name, parameter) in merged.named_parameters())
        {
            using var expected = reader.Load(name, CPU, ScalarType.Float32);
            Assert.True(
                (expected == parameter).all().item<bool>(),
                $"{name}: in-memory merge differs from the disk merge"
            );
        }
        // A PS+DFS evaluator builds without writing anything into a run folder.
        var config = Path.Combine(_dir, "psdfs.yaml");
        File.WriteAllText(
            config,
            "name: psdfs\nmode: ps+dfs\nmodel_a: best.yaml\nmodel_b: zoo/model_b\nrepeats: 1\n"
                + "fitness:\n  - task: tasks/t_train.jsonl\n    prompt: \"{question}\"\n    metric: exact-match\n    max_new_tokens: 2\n"
        );
        var before = Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Length;
        using var evaluator = CandidateEvaluators.Create(ExperimentConfigLoader.Load(config), CPU);
        Assert.Equal(
            before,
            Directory.GetFileSystemEntries(_dir, "*", SearchOption.AllDirectories).Length
        );
        var request = new CandidateRequest(
            0,
            evaluator.Space.InitialGenome.ToValueArray(),
            5,
            ExperimentConfigLoader.Load(config).Fitness
        );
        var result = Assert.Single(evaluator.Evaluate([request]));
        Assert.Equal(CandidateEvaluators.InProcess, result.Worker);
    }
}
