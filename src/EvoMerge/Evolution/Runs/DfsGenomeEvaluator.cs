using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Genomes;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Models;
using EvoMerge.Routing;
using static TorchSharp.torch;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// DFS candidates: models A and B are loaded once; each genome decodes to a layer path that a
/// <see cref="Router"/> runs over their layers (weights untouched). For PS+DFS, model A is the PS
/// recipe merged in memory on this evaluator's device (<see cref="MergedModel"/>), nothing on disk.
/// </summary>
public sealed class DfsGenomeEvaluator : IGenomeEvaluator
{
    readonly Dictionary<string, CausalLanguageModel> _models = new(StringComparer.Ordinal);
    readonly TaskScorer _scorer;

    public DfsGenomeEvaluator(ExperimentConfig config, Device device)
    {
        Genomes = (DfsGenomeSpace)GenomeSpaces.Create(config);
        var folderA =
            config.Mode == SearchMode.PsDfs
                ? GenomeSpaces.ModelAArchitecture(config)
                : config.ModelA!;
        _models[Space.ModelA] =
            config.Mode == SearchMode.PsDfs
                ? MergedModel.Load(config.ModelA!, device, (long)config.Seed)
                : CausalLanguageModel.FromPretrained(folderA, device, ScalarType.Float32);
        _models[Space.ModelB] = CausalLanguageModel.FromPretrained(
            config.ModelB!,
            device,
            ScalarType.Float32
        );
        _scorer = new TaskScorer(TokenizerLoader.Load(folderA));
    }

    /// <summary>Kept for callers of the old signature: the run folder is no longer written to (PS+DFS merges in memory).</summary>
    public DfsGenomeEvaluator(ExperimentConfig config, Device device, string runFolder)
        : this(config, device) => _ = runFolder;

    /// <summary>The pure space.</summary>
    public DfsGenomeSpace Genomes { get; }

    IGenomeSpace ICandidateEvaluator.Space => Genomes;

    /// <summary>The search space (decoder, slot layout).</summary>
    public DfsSpace Space => Genomes.Space;

    public int Dimension => Space.Dimension;

    public IReadOnlyList<double> InitialGenome => Genomes.InitialGenome;

    public BoxBounds? Bounds => null;

    public string BestFileName => Genomes.BestFileName;

    /// <summary>A router for a genome's path.</summary>
    public Router RouterFor(IReadOnlyList<double> genome) => RouterFor(Space.Decode(genome));

    Router RouterFor(LayerPath path) => new(_models, path, Space.ModelA);

    public IReadOnlyList<CandidateResult> Evaluate(
        IReadOnlyList<CandidateRequest> batch,
        IProgress<CandidateResult>? progress = null,
        CancellationToken cancellation = default
    ) =>
        CandidateEvaluators.Sequential(
            batch,
            r =>
            {
                var router = RouterFor(r.Genome);
                return r.Tasks.Select(t => _scorer.Score(router, t).Accuracy).ToArray();
            },
            CandidateEvaluators.InProcess,
            progress,
            cancellation
        );

    /// <summary>Routes and scores one genome on <paramref name="tasks"/>.</summary>
    public GenomeEvaluation Evaluate(IReadOnlyList<double> genome, IReadOnlyList<FitnessTask> tasks)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var router = RouterFor(genome);
        var scores = tasks.Select(t => _scorer.Score(router, t).Accuracy).ToArray();
        return new GenomeEvaluation(scores, router.Path.ToJson(), clock.Elapsed.TotalSeconds);
    }

    public EvaluationResult Score(Phenotype phenotype, FitnessTask task) =>
        phenotype switch
        {
            PathPhenotype path => _scorer.Score(RouterFor(path.Path), task),
            ModelPhenotype model => ScoreModel(model.Model, task),
            _ => throw new ArgumentException(
                $"a DFS evaluator scores paths and models, not {phenotype.GetType().Name}"
            ),
        };

    public EvaluationResult Score(IReadOnlyList<double> genome, FitnessTask task) =>
        _scorer.Score(RouterFor(genome), task);

    /// <summary>Scores one of the loaded models on its own.</summary>
    public EvaluationResult ScoreModel(string name, FitnessTask task) =>
        _scorer.Score(_models[name], task);

    public string Describe(IReadOnlyList<double> genome) => Space.Decode(genome).ToJson();

    public void Dispose()
    {
        foreach (var model in _models.Values)
            model.Dispose();
    }
}
