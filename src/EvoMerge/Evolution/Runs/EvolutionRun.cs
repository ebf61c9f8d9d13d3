using System.Diagnostics;
using System.Text.Json;
using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Candidates;
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
    /// <summary>
    /// Runs (or resumes) <paramref name="config"/> in <c>runsRoot/&lt;name&gt;</c> using <paramref name="evaluator"/>;
    /// <c>notice</c> receives one line when a resume drops what a killed run wrote after its last checkpoint.
    /// </summary>
    public static RunResult Run(
        ExperimentConfig config,
        ICandidateEvaluator evaluator,
        RunFolder folder,
        bool resume,
        IProgress<RunProgress>? progress = null,
        CancellationToken cancellation = default,
        Action<string>? notice = null
    )
    {
        TaskPreflight.Check(config);
        var space = evaluator.Space;
        Directory.CreateDirectory(folder.Path);
        var configText = config.SourceFile is null ? "" : File.ReadAllText(config.SourceFile);
        Search search;
        Xoshiro256StarStar rng;
        ValueArray<double>? bestGenome = null;
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
            var dropped = new[]
            {
                RunFolder.Truncate(folder.Log, checkpoint.LogLines),
                RunFolder.Truncate(folder.Generations, checkpoint.Generation),
            }.OfType<string>();
            if (dropped.Any())
                notice?.Invoke(
                    $"resuming at generation {checkpoint.Generation} ({checkpoint.LogLines} evaluations): {string.Join("; ", dropped)}"
                );
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
                    ? Search.StartNsga2(space, config)
                    : Search.StartCma(space, config);
            rng = new Xoshiro256StarStar(config.Seed);
        }

        var taskNames = config.Fitness.Select(t => t.Name).ToArray();
        var clock = Stopwatch.StartNew();
        int logLines = checkpoint?.LogLines ?? 0;
        bool interrupted = false;
        while (search.Evaluations < config.Budget && search.Stopped is null)
        {
            var (asked, genomes) = search.Ask(rng);
            var requests = genomes
                .Select(
                    (g, i) =>
                        new CandidateRequest(i, g.ToValueArray(), (long)config.Seed, config.Fitness)
                )
                .ToArray();
            int done = 0;
            double bestSeen = bestFitness;
            var gate = new object();
            var heard = new SyncProgress<CandidateResult>(r =>
            {
                // Results may come from several workers at once.
                lock (gate)
                {
                    done++;
                    bestSeen = Math.Max(bestSeen, r.Fitness);
                    progress?.Report(
                        new RunProgress(
                            search.Generation,
                            search.Evaluations + done,
                            config.Budget,
                            bestSeen,
                            r.Fitness,
                            clock.Elapsed + TimeSpan.FromSeconds(previousSeconds),
                            r.Worker,
                            r.Seconds
                        )
                    );
                }
            });
            IReadOnlyList<CandidateResult> scored;
            try
            {
                scored = evaluator.Evaluate(requests, heard, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }
            // Put results back in request order: the log and the optimizer never see arrival order.
            var byIndex = InOrder(scored, requests.Length);
            var results = byIndex
                .Select(r => new GenomeEvaluation(
                    r.Scores,
                    space.Decode(genomes[r.Index]).Text,
                    r.Seconds
                ))
                .ToList();
            for (int i = 0; i < results.Count; i++)
                if (results[i].Fitness > bestFitness)
                {
                    bestFitness = results[i].Fitness;
                    bestGenome = genomes[i];
                    AtomicFile.WriteAllText(folder.File(space.BestFileName), results[i].Phenotype);
                }
            int generation = search.Generation;
            search = asked.Tell(results);
            folder.AppendLog(
                results.Select(
                    (r, i) =>
                        new RunLogEntry(
                            generation,
                            i,
                            genomes[i],
                            taskNames.Zip(r.Scores).ToValueMap(p => p.First, p => p.Second),
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
                    (search as CmaSearch)?.Mean.ToValueArray()
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
            bestGenome ?? ValueArray<double>.Empty,
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

    static CandidateResult[] InOrder(IReadOnlyList<CandidateResult> scored, int count)
    {
        var byIndex = new CandidateResult?[count];
        foreach (var r in scored)
        {
            if (r.Index < 0 || r.Index >= count || byIndex[r.Index] is not null)
                throw new InvalidOperationException(
                    $"the evaluator returned a result for candidate {r.Index} that was not asked for once"
                );
            byIndex[r.Index] = r;
        }
        return byIndex
            .Select(
                (r, i) =>
                    r
                    ?? throw new InvalidOperationException(
                        $"the evaluator returned no result for candidate {i}"
                    )
            )
            .ToArray();
    }
}
