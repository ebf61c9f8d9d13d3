namespace EvoMerge.Cluster;

/// <summary>
/// One per worker silo (its key is the silo's address, see <see cref="WorkerPlacement"/>). Calls are
/// serialized per grain: a worker scores one candidate at a time on its device.
/// </summary>
public interface IEvaluatorGrain : IGrainWithStringKey
{
    /// <summary>Scores one candidate of the effective config <paramref name="config"/> (JSON, see
    /// EffectiveConfig); request and reply are <see cref="Wire"/> JSON.</summary>
    Task<string> Evaluate(string config, string request);
}
