using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using static TorchSharp.torch;

namespace EvoMerge.Cluster;

/// <summary>A worker's identity and device.</summary>
/// <param name="Name">Shown in results and progress (host:pid/device).</param>
/// <param name="Device">Where this worker's models live.</param>
/// <param name="Log">One line per event (stdout of `evomerge worker`).</param>
public sealed record WorkerSettings(string Name, Device Device, Action<string> Log);

/// <summary>
/// The worker's models, kept resident across calls and generations: built on the first request of a
/// config, rebuilt only when a different config arrives. One candidate at a time.
/// </summary>
public sealed class ResidentEvaluator(WorkerSettings settings) : IDisposable
{
    readonly object _gate = new();
    string? _config;
    ICandidateEvaluator? _evaluator;

    /// <summary>Scores one request; any error comes back as a <see cref="Wire.Reply"/> error, in one line.</summary>
    public string Evaluate(string config, string request)
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
        lock (_gate)
            _evaluator?.Dispose();
    }
}
