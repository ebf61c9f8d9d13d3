using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace EvoMerge.Cluster;

/// <summary>
/// Places an <see cref="IEvaluatorGrain"/> on the silo its key names (SiloAddress.ToParsableString):
/// the optimizer addresses each worker, and so each device, by itself. A key whose silo is gone is
/// an error, never a silent activation elsewhere (which would load the models a second time).
/// </summary>
[Serializable]
public sealed class WorkerPlacement : PlacementStrategy
{
    internal static readonly WorkerPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class WorkerPlacementAttribute() : PlacementAttribute(WorkerPlacement.Instance);

internal sealed class WorkerPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(
        PlacementStrategy strategy,
        PlacementTarget target,
        IPlacementContext context
    )
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = context
            .GetCompatibleSilos(target)
            .FirstOrDefault(s => s.ToParsableString() == key);
        return silo is not null
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"worker {key} is not in the cluster");
    }
}
