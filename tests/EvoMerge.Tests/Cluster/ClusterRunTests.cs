using System.Text.Json;
using EvoMerge.Evolution.Runs;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Cluster;

/// <summary>
/// Distributed evaluation with the real thing: a real redis-server, worker processes
/// (`dotnet EvoMerge.Cli.dll worker`) and the optimizer as an Orleans client process, all on
/// loopback. The in-process run of the same config is the reference: logs (minus timings) and best
/// genome must be equal, whatever the number of workers and even when one is SIGKILLed mid-run.
/// </summary>
[Collection(Kernel.KernelCollection.Name)] // never beside the kernel tests' processes
public sealed class ClusterRunTests : IDisposable
{
    // Generous: on CI's 2 cores, three workers load their models while other tests run.
    static readonly TimeSpan Ready = TimeSpan.FromSeconds(180);
    static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(300);

    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-cluster-").FullName;
    readonly List<IDisposable> _processes = [];
    readonly string _config;

    public ClusterRunTests()
    {
        FixtureZoo.CopyInto(_dir);
        Directory.CreateDirectory(Path.Combine(_dir, "tasks"));
        File.Copy(
            Path.Combine(Fixtures.RepoRoot, "data/tasks/ja_math_train.jsonl"),
            Path.Combine(_dir, "tasks/ja_math_train.jsonl")
        );
        _config = Path.Combine(_dir, "ps.yaml");
        // A small PS search: 3 generations of 4; each candidate takes long enough (16 items) that a
        // kill lands while one is in flight.
        File.WriteAllText(
            _config,
            """
            name: ps
            seed: 7
            device: cpu
            mode: ps
            budget: 12
            population: 4
            base_model: zoo/base
            sources: [zoo/model_a, zoo/model_b]
            method: dare_ties
            fitness:
              - task: tasks/ja_math_train.jsonl
                limit: 16
                prompt: "問題: {question}\n答え:"
                metric: rouge-l
                max_new_tokens: 8
            """
        );
    }

    public void Dispose()
    {
        for (int i = _processes.Count - 1; i >= 0; i--)
            _processes[i].Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    T Keep<T>(T process)
        where T : IDisposable
    {
        _processes.Add(process);
        return process;
    }

    ChildProcess Worker(RedisServer redis, string clusterId)
    {
        var worker = Keep(
            ChildProcess.Cli(
                "worker",
                "--cluster",
                redis.Address,
                "--cluster-id",
                clusterId,
                "--device",
                "cpu",
                "--threads",
                "1"
            )
        );
        return worker;
    }

    /// <summary>Runs `evolve` (in-process, or on the cluster) into runs/&lt;folder&gt; and returns the client process.</summary>
    ChildProcess Evolve(string runs, params string[] cluster) =>
        Keep(
            ChildProcess.Cli([
                "evolve",
                _config,
                "--runs",
                Path.Combine(_dir, runs),
                "--threads",
                "1",
                .. cluster,
            ])
        );

    /// <summary>The log without timings (they differ run to run), one line per candidate.</summary>
    string Log(string runs) =>
        string.Join(
            "\n",
            new RunFolder(Path.Combine(_dir, runs, "ps"))
                .ReadLog()
                .Select(e =>
                    $"{e.Generation}/{e.Index} {string.Join(",", e.Genome.Select(g => g.ToString("R")))} {JsonSerializer.Serialize(e.Scores)} {e.Fitness:R}\n{e.Phenotype}"
                )
        );

    string BestGenome(string runs) =>
        JsonDocument
            .Parse(File.ReadAllText(Path.Combine(_dir, runs, "ps", "summary.json")))
            .RootElement.GetProperty("BestGenome")
            .ToString();

    void Completed(ChildProcess run)
    {
        var code = run.Exit(RunTimeout);
        Assert.True(code == 0, $"exit {code}\nstdout:\n{run.Output}\nstderr:\n{run.Error}");
    }

    string Reference()
    {
        Completed(Evolve("in-process"));
        Assert.Equal(12, new RunFolder(Path.Combine(_dir, "in-process", "ps")).ReadLog().Count);
        return "in-process";
    }

    [Fact]
    public void Killed_worker_loses_nothing_and_the_run_equals_the_in_process_run()
    {
        var reference = Reference();
        using var redis = Keep(new RedisServer());
        var workers = Enumerable.Range(0, 3).Select(_ => Worker(redis, "kill")).ToArray();
        foreach (var w in workers)
            w.WaitFor("ready", Ready);
        var run = Evolve("cluster", "--cluster", redis.Address, "--cluster-id", "kill");
        // SIGKILL the first worker while it scores its first candidate (mid-generation 0).
        var victim = workers[0];
        victim.WaitFor("started", RunTimeout);
        victim.Kill();
        Completed(run);
        Assert.Contains("goes to another worker", run.Error);
        Assert.Equal(Log(reference), Log("cluster"));
        Assert.Equal(BestGenome(reference), BestGenome("cluster"));
    }

    [Fact]
    public void One_worker_and_three_workers_resumed_give_the_in_process_run()
    {
        var reference = Reference();
        using var redis = Keep(new RedisServer());
        Worker(redis, "sizes").WaitFor("ready", Ready);
        Completed(Evolve("one", "--cluster", redis.Address, "--cluster-id", "sizes"));
        foreach (var w in new[] { Worker(redis, "sizes"), Worker(redis, "sizes") })
            w.WaitFor("ready", Ready);
        // Three workers, and --resume on the cluster: 2 generations, then resumed to the full budget.
        var first = Evolve(
            "three",
            "--cluster",
            redis.Address,
            "--cluster-id",
            "sizes",
            "--budget",
            "8"
        );
        Completed(first);
        Assert.Contains("3 worker(s)", first.Output);
        Completed(Evolve("three", "--cluster", redis.Address, "--cluster-id", "sizes", "--resume"));
        Assert.Equal(BestGenome(reference), BestGenome("one"));
        Assert.Equal(BestGenome(reference), BestGenome("three"));
        Assert.Equal(Log(reference), Log("one"));
        Assert.Equal(Log(reference), Log("three"));
    }

    [Fact]
    public void Bad_cluster_settings_give_one_error_line_not_a_hang()
    {
        int nobody = RedisServer.FreePort();
        void OneLine(ChildProcess p, string expected, TimeSpan within)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(2, p.Exit(within));
            var lines = p.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"stderr:\n{p.Error}");
            Assert.StartsWith("error: ", lines[0]);
            Assert.Contains(expected, lines[0]);
            Assert.True(clock.Elapsed < within);
        }
        // No Redis at that address: the optimizer and a worker each say so and stop.
        OneLine(
            Evolve("none", "--cluster", $"redis://127.0.0.1:{nobody}"),
            $"cannot reach Redis at 127.0.0.1:{nobody}",
            TimeSpan.FromSeconds(30)
        );
        OneLine(
            Keep(ChildProcess.Cli("worker", "--cluster", $"redis://127.0.0.1:{nobody}")),
            $"cannot reach Redis at 127.0.0.1:{nobody}",
            TimeSpan.FromSeconds(30)
        );
        // Not an address at all.
        OneLine(
            Evolve("bad", "--cluster", "redis:/nowhere"),
            "--cluster: expected 'localhost' or 'redis://host:port'",
            TimeSpan.FromSeconds(30)
        );
        // Redis is there but no worker joins: bounded by --wait-workers.
        using var redis = Keep(new RedisServer());
        OneLine(
            Evolve(
                "alone",
                "--cluster",
                redis.Address,
                "--cluster-id",
                "empty",
                "--wait-workers",
                "3"
            ),
            "no worker reachable",
            TimeSpan.FromSeconds(40)
        );
        Assert.False(File.Exists(Path.Combine(_dir, "alone", "ps", "log.jsonl")));
    }
}
