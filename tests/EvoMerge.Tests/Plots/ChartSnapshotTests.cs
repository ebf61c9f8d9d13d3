using EvoMerge.Plots;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Plots;

public class ChartSnapshotTests
{
    // The figure JSON, numbers rounded (0.1 + 0.2 must not leak into snapshots).
    [Theory]
    [MemberData(nameof(SampleCharts.Names), MemberType = typeof(SampleCharts))]
    public void Chart_json(string chart) =>
        Snapshot.Verify(ChartFiles.ToJson(SampleCharts.All[chart](), digits: 6), chart);
}
