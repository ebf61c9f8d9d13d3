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
    /// Fast failure detection for small clusters: a killed worker is declared dead in a few seconds
    /// (Orleans' defaults take about a minute), so its candidates move on quickly.
    /// </summary>
    public static void Membership(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.NumVotesForDeathDeclaration = 1;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
    }
}
