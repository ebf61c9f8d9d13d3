using Orleans.Configuration;

namespace EvoMerge.Cluster;

/// <summary>Settings shared by workers and the optimizer client.</summary>
static class ClusterSettings
{
    public const string ServiceId = "evomerge";

    public static void Cluster(ClusterOptions options, string clusterId)
    {
        options.ClusterId = clusterId;
        options.ServiceId = ServiceId;
    }

    /// <summary>
    /// Fast failure detection for small clusters: a killed worker is declared dead in about 6 s
    /// (Orleans' defaults take about a minute), so its candidates move on quickly; one vote suffices
    /// (a cluster of two must be able to drop one). Probes are answered off the evaluating thread, so
    /// a busy worker is not mistaken for a dead one.
    /// </summary>
    public static void Membership(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(2);
        options.NumMissedProbesLimit = 3;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }
}
