using System.Diagnostics;
using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using static TorchSharp.torch;

namespace EvoMerge.Cluster.Benchmarks;

/// <summary>
/// Candidates per second in this process and with 1, 2, 4, … worker processes on this machine, and
/// the per-candidate overhead of the cluster path (Orleans calls, JSON, scheduling) against
/// in-process evaluation (a benchmark, not a test). Every setting times the same candidates, near
/// the experiment's initial genome as a first generation would be, after an untimed warm-up batch
/// (in which every worker loads the models once).
/// </summary>
public sealed class ClusterBenchmark
{
    readonly Xoshiro256StarStar _rng;
    readonly ValueArray<CandidateRequest> _requests;

    /// <summary>The experiment of <paramref name="file"/> on the CPU; <paramref name="limit"/> overrides each fitness task's item limit.</summary>
    public ClusterBenchmark(string file, int candidates, int? limit = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(candidates);
        var experiment = ExperimentConfigLoader.Load(file) with { Device = "cpu" };
        if (limit is int l)
            experiment = experiment with
            {
                Fitness = experiment.Fitness.Select(t => t with { Limit = l }).ToValueArray(),
            };
        Experiment = experiment;
        Space = GenomeSpaces.Create(experiment);
        _rng = new Xoshiro256StarStar(experiment.Seed);
        _requests = Batch(candidates);
    }

    public ExperimentConfig Experiment { get; }
    public IGenomeSpace Space { get; }

    /// <summary>Candidates timed per setting.</summary>
    public int Candidates => _requests.Count;

    /// <summary>
    /// In-process first, then each worker count with that many workers started by
    /// <paramref name="startWorker"/>(cluster id, index) and stopped afterwards; <paramref name="onRow"/>
    /// sees each row as it is measured.
    /// </summary>
    public IReadOnlyList<ClusterBenchmarkRow> Run(
        IEnumerable<int> workerCounts,
        ClusterAddress address,
        Func<string, int, ProcessStartInfo> startWorker,
        Action<ClusterBenchmarkRow>? onRow = null
    )
    {
        var rows = new List<ClusterBenchmarkRow>();
        void Add(ClusterBenchmarkRow row)
        {
            rows.Add(row);
            onRow?.Invoke(row);
        }
        Add(InProcess());
        foreach (var n in workerCounts)
            Add(OnWorkers(n, address, startWorker));
        return rows;
    }

    ClusterBenchmarkRow InProcess()
    {
        using var local = CandidateEvaluators.Create(Experiment, CPU);
        local.Evaluate(Batch(1)); // warm-up: first-call costs are not the steady state
        var clock = Stopwatch.StartNew();
        var scored = local.Evaluate(_requests);
        return new(
            "in-process",
            0,
            clock.Elapsed.TotalSeconds,
            Candidates,
            scored.Sum(r => r.Seconds),
            0
        );
    }

    ClusterBenchmarkRow OnWorkers(
        int n,
        ClusterAddress address,
        Func<string, int, ProcessStartInfo> startWorker
    )
    {
        var clusterId = $"bench-{Environment.ProcessId}-{n}";
        using var workers = new LocalWorkers(
            Enumerable.Range(0, n).Select(i => startWorker(clusterId, i))
        );
        workers.WaitReady(TimeSpan.FromSeconds(90));
        using var connection = ClusterConnection
            .Connect(address, clusterId, TimeSpan.FromSeconds(60))
            .GetAwaiter()
            .GetResult();
        using var evaluator = new ClusterCandidateEvaluator(
            connection,
            Experiment,
            TimeSpan.FromSeconds(60)
        );
        evaluator.Evaluate(Batch(n)); // every worker loads the models once
        var clock = Stopwatch.StartNew();
        var results = evaluator.Evaluate(_requests);
        return new(
            $"{n} worker(s)",
            n,
            clock.Elapsed.TotalSeconds,
            Candidates,
            results.Sum(r => r.Seconds),
            results.Select(r => r.Worker).Distinct().Count()
        );
    }

    /// <summary>Candidates near the start, as a first generation would be.</summary>
    ValueArray<CandidateRequest> Batch(int n) =>
        Enumerable
            .Range(0, n)
            .Select(i => new CandidateRequest(
                i,
                Space
                    .InitialGenome.Select(g =>
                        Space.Bounds is null
                            ? g + _rng.NextDouble(-0.3, 0.3)
                            : Math.Clamp(g + _rng.NextDouble(-0.3, 0.3), 0, 1)
                    )
                    .ToValueArray(),
                (long)Experiment.Seed,
                Experiment.Fitness
            ))
            .ToValueArray();
}
