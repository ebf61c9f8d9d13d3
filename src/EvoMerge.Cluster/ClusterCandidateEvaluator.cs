using System.Collections.Concurrent;
using System.Threading.Channels;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;

namespace EvoMerge.Cluster;

/// <summary>
/// Spreads each generation's candidates over the cluster's workers, one candidate in flight per
/// worker (more workers than candidates is fine). A worker that dies or drops out of the membership
/// loses nothing: its candidate goes back in the queue for another worker. Results are a pure function
/// of (config, genome, seed), so which worker scored what does not change the run.
/// </summary>
public sealed class ClusterCandidateEvaluator(
    ClusterConnection cluster,
    ExperimentConfig config,
    TimeSpan workerWait,
    Action<string>? log = null
) : ICandidateEvaluator
{
    static readonly TimeSpan LivenessPoll = TimeSpan.FromSeconds(1);

    readonly string _config = EffectiveConfig.ToJson(config);
    readonly ConcurrentDictionary<string, bool> _dead = new();

    public IGenomeSpace Space { get; } = GenomeSpaces.Create(config);

    public IReadOnlyList<CandidateResult> Evaluate(
        IReadOnlyList<CandidateRequest> batch,
        IProgress<CandidateResult>? progress = null,
        CancellationToken cancellation = default
    ) => EvaluateAsync(batch, progress, cancellation).GetAwaiter().GetResult();

    async Task<IReadOnlyList<CandidateResult>> EvaluateAsync(
        IReadOnlyList<CandidateRequest> batch,
        IProgress<CandidateResult>? progress,
        CancellationToken cancellation
    )
    {
        var results = new ConcurrentDictionary<int, CandidateResult>();
        if (batch.Count == 0)
            return [];
        var pending = Channel.CreateUnbounded<CandidateRequest>();
        foreach (var request in batch)
            pending.Writer.TryWrite(request);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var drivers = new Dictionary<string, Task>();
        Exception? failure = null;
        var lastLive = DateTime.UtcNow;
        while (!pending.Reader.Completion.IsCompleted && failure is null)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var worker in await LiveWorkers())
                if (!drivers.ContainsKey(worker))
                    drivers[worker] = Drive(
                            worker,
                            pending,
                            results,
                            batch.Count,
                            progress,
                            done.Token
                        )
                        .ContinueWith(
                            t =>
                            {
                                if (t.Exception?.InnerException is ClusterException e)
                                    failure ??= e;
                            },
                            TaskScheduler.Default
                        );
            if (drivers.Values.Any(t => !t.IsCompleted))
                lastLive = DateTime.UtcNow;
            else if (DateTime.UtcNow - lastLive > workerWait)
                throw new ClusterException(
                    $"no live worker for {workerWait.TotalSeconds:F0} s; {batch.Count - results.Count} candidates of this generation are unscored (start a worker and --resume)"
                );
            await Task.WhenAny(pending.Reader.Completion, Task.Delay(LivenessPoll, cancellation));
        }
        done.Cancel(); // stray calls to workers declared dead are abandoned
        if (failure is not null)
            throw failure;
        cancellation.ThrowIfCancellationRequested();
        return results.Values.OrderBy(r => r.Index).ToArray();
    }

    async Task<IReadOnlyList<string>> LiveWorkers()
    {
        try
        {
            return (await cluster.Workers()).Where(w => !_dead.ContainsKey(w)).ToArray();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return [];
        }
    }

    async Task Drive(
        string worker,
        Channel<CandidateRequest> pending,
        ConcurrentDictionary<int, CandidateResult> results,
        int total,
        IProgress<CandidateResult>? progress,
        CancellationToken token
    )
    {
        var grain = cluster.Client.GetGrain<IEvaluatorGrain>(worker);
        int consecutiveFailures = 0;
        while (await pending.Reader.WaitToReadAsync(token))
        {
            if (!pending.Reader.TryRead(out var request))
                continue;
            string reply;
            try
            {
                reply = await WhileAlive(
                    worker,
                    grain.Evaluate(_config, Wire.Request(request)),
                    token
                );
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                // The candidate goes back in the queue for any worker. The worker itself is dropped
                // once it has left the membership (killed, declared dead) or failed three times in a
                // row (a failure can also be a dead gateway on the way to a live worker).
                pending.Writer.TryWrite(request);
                int failures = ++consecutiveFailures;
                bool gone = failures >= 3 || !(await StillListed(worker));
                log?.Invoke(
                    $"worker {worker} {(gone ? "lost" : "failed a call")} ({e.GetType().Name}: {RedisProbe.FirstLine(e.Message)}); candidate {request.Index} goes to another worker"
                );
                if (gone)
                {
                    _dead[worker] = true;
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), token);
                continue;
            }
            consecutiveFailures = 0;
            var answer = Wire.ReadReply(reply);
            if (answer.Error is { } error)
            {
                // Scoring itself failed (bad paths on that machine, out of memory): an error, not a retry.
                pending.Writer.TryComplete();
                throw new ClusterException($"candidate {request.Index} failed on worker {error}");
            }
            if (results.TryAdd(request.Index, answer.Result!))
            {
                progress?.Report(answer.Result!);
                if (results.Count == total)
                    pending.Writer.TryComplete();
            }
        }
    }

    async Task<bool> StillListed(string worker)
    {
        try
        {
            return (await cluster.Workers()).Contains(worker);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Awaits a call while its worker stays in the membership; a worker that leaves it fails the call.</summary>
    async Task<string> WhileAlive(string worker, Task<string> call, CancellationToken token)
    {
        while (true)
        {
            var first = await Task.WhenAny(call, Task.Delay(LivenessPoll, token));
            if (first == call)
                return await call;
            token.ThrowIfCancellationRequested();
            if (!(await cluster.Workers()).Contains(worker))
                throw new SiloUnavailableException($"worker {worker} left the cluster");
        }
    }

    public void Dispose() { }
}
