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

    /// <summary>The pure space.</summary>
    public DfsGenomeSpace Genomes { get; }

    IGenomeSpace ICandidateEvaluator.Space => Genomes;

    /// <summary>The search space (decoder, slot layout).</summary>
    public DfsSpace Space => Genomes.Space;

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
                var router = RouterFor(Space.Decode(r.Genome));
                return r.Tasks.Select(t => _scorer.Score(router, t).Accuracy).ToArray();
            },
            CandidateEvaluators.InProcess,
            progress,
            cancellation
        );

    public EvaluationResult Score(Phenotype phenotype, FitnessTask task) =>
        phenotype switch
        {
            PathPhenotype path => _scorer.Score(RouterFor(path.Path), task),
            ModelPhenotype model => ScoreModel(model.Model, task),
            _ => throw new ArgumentException(
                $"a DFS evaluator scores paths and models, not {phenotype.GetType().Name}"
            ),
        };

    /// <summary>Scores one of the loaded models on its own.</summary>
    public EvaluationResult ScoreModel(string name, FitnessTask task) =>
        _scorer.Score(_models[name], task);

    public void Dispose()
    {
        foreach (var model in _models.Values)
            model.Dispose();
    }
}
