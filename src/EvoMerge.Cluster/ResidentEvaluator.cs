using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using static TorchSharp.torch;

namespace EvoMerge.Cluster;

/// <summary>A worker's identity and device.</summary>
/// <param name="Name">Shown in results and progress (host:pid/device).</param>
/// <param name="Device">Where this worker's models live.</param>
/// <param name="Log">One line per event (stdout of `evomerge worker`).</param>
/// <param name="Threads">libtorch CPU threads of the evaluating thread (null: libtorch's default).</param>
public sealed record WorkerSettings(
    string Name,
    Device Device,
    Action<string> Log,
    int? Threads = null
);

/// <summary>
/// The worker's models, kept resident across calls and generations: built on the first request of a
/// config, rebuilt only when a different config arrives. One candidate at a time, all on one
/// dedicated thread: libtorch's OpenMP thread count is a per-thread setting (a pool thread would run
/// with the default and could round differently from an in-process run), and a CUDA context stays
/// current on the thread that made it.
/// </summary>
public sealed class ResidentEvaluator : IDisposable
{
    readonly object _gate = new();
    readonly WorkerSettings settings;
    readonly System.Collections.Concurrent.BlockingCollection<Action> _work = new();
    readonly Thread _thread;
    string? _config;
    ICandidateEvaluator? _evaluator;

    public ResidentEvaluator(WorkerSettings settings)
    {
        this.settings = settings;
        _thread = new Thread(Loop) { IsBackground = true, Name = "evaluator" };
        _thread.Start();
    }

    void Loop()
    {
        if (settings.Threads is int n)
            set_num_threads(n);
        foreach (var item in _work.GetConsumingEnumerable())
            item();
    }

    /// <summary>Scores one request on the evaluating thread.</summary>
    public Task<string> EvaluateAsync(string config, string request)
    {
        var done = new TaskCompletionSource<string>(
            TaskCreationOptions.RunContinuationsAsynchronously
        );
        _work.Add(() => done.SetResult(Evaluate(config, request)));
        return done.Task;
    }

    /// <summary>Scores one request; any error comes back as a <see cref="Wire.Reply"/> error, in one line.</summary>
    string Evaluate(string config, string request)
    {
        lock (_gate)
        {
            try
            {
                if (_config != config)
                {
                    _evaluator?.Dispose();
                    _evaluator = null;
                    var experiment = EffectiveConfig.FromJson(
                        config,
                        "<config from the optimizer>"
                    );
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    _evaluator = CandidateEvaluators.Create(experiment, settings.Device);
                    _config = config;
                    settings.Log(
                        $"loaded {experiment.Name} ({experiment.Mode}) on {settings.Device} in {clock.Elapsed.TotalSeconds:F1} s"
                    );
                }
                var candidate = Wire.ReadRequest(request);
                settings.Log($"candidate {candidate.Index} started");
                var result = _evaluator!.Evaluate([candidate]).Single() with
                {
                    Worker = settings.Name,
                };
                settings.Log($"candidate {candidate.Index} done in {result.Seconds:F2} s");
                return Wire.Ok(result);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _config = null; // a half-built evaluator is not reused
                return Wire.Failed($"{settings.Name}: {RedisProbe.FirstLine(e.Message)}");
            }
        }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(30));
        lock (_gate)
            _evaluator?.Dispose();
    }
}
