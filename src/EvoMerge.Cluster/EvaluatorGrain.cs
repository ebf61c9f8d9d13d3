namespace EvoMerge.Cluster;

/// <summary>The worker's grain: hands candidates to the silo's resident evaluator, off the grain scheduler.</summary>
[WorkerPlacement]
internal sealed class EvaluatorGrain(ResidentEvaluator resident) : Grain, IEvaluatorGrain
{
    public Task<string> Evaluate(string config, string request) =>
        Task.Run(() => resident.Evaluate(config, request));
}
