using System.Diagnostics;
using System.Text.Json;
using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Optimizers;
using static TorchSharp.torch;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// The evolutionary loop: Ask → decode → build the candidate in memory (merge or route) → score on the
/// fitness tasks' training split → Tell, writing the run folder as it goes (see <see cref="RunFolder"/>).
/// A resumed run continues exactly: same seed and config → the same log and best genome as an
/// uninterrupted run. Cancelling stops between evaluations and keeps the last full generation.
/// </summary>
public static class EvolutionRun
{
    /// <summary>Builds the genome evaluator a config asks for.</summary>
    public static IGenomeEvaluator CreateEvaluator(
        ExperimentConfig config,
        Device device,
        string runFolder
    ) =>
        config.Mode switch
        {
            SearchMode.Ps or SearchMode.Nsga2 => new PsGenomeEvaluator(config, device),
            SearchMode.Dfs or SearchMode.PsDfs => new DfsGenomeEvaluator(config, device, runFolder),
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };

    /// <summary>Runs (or resumes) <paramref name="config"/> in <c>runsRoot/&lt;name&gt;</c> using <paramref name="evaluator"/>.</summary>
    public static RunResult Run(
        ExperimentConfig config,
        IGenomeEvaluator evaluator,
        RunFolder folder,
        bool resume,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellation = default
    )
    {
        foreach (var task in config.Fitness)
            FitnessSplitGuard.Ensure(
                TaskSetLoader.NameAndSplit(task.File).Split ?? TaskSplit.Train,
                task.File,
                config.AllowTestSplitForFitness
            );
        Directory.CreateDirectory(folder.Path);
        var configText = config.SourceFile is null ? "" : File.ReadAllText(config.SourceFile);
        Search search;
        Xoshiro256StarStar rng;
        double[]? bestGenome = null;
        double bestFitness = double.NegativeInfinity;
        double previousSeconds = 0;
        var checkpoint = resume ? folder.LoadCheckpoint() : null;
        if (resume && checkpoint is null)
            throw new InvalidOperationException(
                $"{folder.Path}: nothing to resume (no optimizer.json)"
            );
        if (checkpoint is not null)
        {
            folder.CheckResumable(checkpoint);
            if (
                EffectiveConfig.FirstDifference(
                    folder.LoadConfig(),
                    config,
                    EffectiveConfig.MayChangeOnResume
                )
                is var (field, stored, given)
            )
                throw new InvalidOperationException(
                    $"{folder.EffectiveConfig}: '{field}' differs: the run has {stored}, this one {given}; resume with the same config"
                );
            folder.SaveConfig(config);
            search = checkpoint.ToSearch();
            rng = new Xoshiro256StarStar(checkpoint.Rng);
            bestGenome = checkpoint.BestGenome;
            bestFitness = checkpoint.BestFitness;
            previousSeconds = checkpoint.Seconds;
            RunFolder.Truncate(folder.Log, checkpoint.LogLines);
            RunFolder.Truncate(folder.Generations, checkpoint.Generation);
        }
        else
        {
            if (File.Exists(folder.Log) && new FileInfo(folder.Log).Length > 0)
                throw new InvalidOperationException(
                    $"{folder.Path} already holds a run: pass --resume to continue it, or choose another name"
                );
            AtomicFile.WriteAllText(folder.Config, configText);
            folder.SaveConfig(config);
            search =
                config.Mode == SearchMode.Nsga2
                    ? Search.StartNsga2(evaluator, config)
                    : Search.StartCma(evaluator, config);
            rng = new Xoshiro256StarStar(config.Seed);
        }

        var taskNames = config.Fitness.Select(t => t.Name).ToArray();
        var clock = Stopwatch.StartNew();
        int logLines = checkpoint?.LogLines ?? 0;
        bool interrupted = false;
        while (search.Evaluations < config.Budget && search.Stopped is null)
        {
            var (asked, genomes) = search.Ask(rng);
            var results = new List<GenomeEvaluation>(genomes.Count);
            foreach (var genome in genomes)
            {
                if (cancellation.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }
                var result = evaluator.Evaluate(genome);
                results.Add(result);
                if (result.Fitness > bestFitness)
                {
                    bestFitness = result.Fitness;
                    bestGenome = genome;
                    AtomicFile.WriteAllText(folder.File(evaluator.BestFileName), result.Phenotype);
                }
                progress?.Report(
                    new RunProgress(
                        search.Generation,
                        search.Evaluations + results.Count,
                        config.Budget,
                        bestFitness,
                        result.Fitness,
                        clock.Elapsed + TimeSpan.FromSeconds(previousSeconds)
                    )
                );
            }
            if (interrupted)
                break;
            int generation = search.Generation;
            search = asked.Tell(results);
            folder.AppendLog(
                results.Select(
                    (r, i) =>
                        new RunLogEntry(
                            generation,
                            i,
                            genomes[i],
                            taskNames.Zip(r.Scores).ToDictionary(p => p.First, p => p.Second),
                            r.Fitness,
                            r.Phenotype,
                            Math.Round(r.Seconds, 3)
                        )
                )
            );
            logLines += results.Count;
            folder.AppendGeneration(
                new GenerationSummary(
                    generation,
                    search.Evaluations,
                    results.Max(r => r.Fitness),
                    results.Average(r => r.Fitness),
                    bestFitness,
                    search.Sigma,
                    (search as CmaSearch)?.Mean.ToArray()
                )
            );
            folder.SaveCheckpoint(
                RunCheckpoint.From(
                    search,
                    rng.State,
                    logLines,
                    bestGenome,
                    bestFitness,
                    previousSeconds + clock.Elapsed.TotalSeconds
                )
            );
        }
        // Mid-generation interruption: the state on disk is the last full generation; nothing newer is kept.
        var seconds = previousSeconds + clock.Elapsed.TotalSeconds;
        var stop = interrupted ? "interrupted" : search.Stopped ?? "budget";
        var summary = new RunResult(
            folder.Path,
            (bestGenome ?? []).ToValueArray(),
            bestFitness,
            search.Evaluations,
            search.Generation,
            seconds,
            interrupted,
            stop
        );
        if (!interrupted)
            AtomicFile.WriteAllText(
                folder.Summary,
                JsonSerializer.Serialize(
                    summary,
                    new JsonSerializerOptions { WriteIndented = true }
                )
            );
        return summary;
    }
}
