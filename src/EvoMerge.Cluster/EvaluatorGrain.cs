namespace EvoMerge.Cluster;

/// <summary>The worker's grain: hands candidates to the silo's resident evaluator, on its evaluating thread.</summary>
[WorkerPlacement]
internal sealed class EvaluatorGrain(ResidentEvaluator resident) : Grain, IEvaluatorGrain
{
    public Task<string> Evaluate(string config, string request) =>
        resident.EvaluateAsync(config, request);
}
