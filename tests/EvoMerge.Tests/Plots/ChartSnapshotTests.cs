using EvoMerge.Plots;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Plots;

public class ChartSnapshotTests
{
    // The figure JSON without the theme template; inputs are short decimals, so no rounding is needed.
    [Theory]
    [MemberData(nameof(SampleCharts.Names), MemberType = typeof(SampleCharts))]
    public void Chart_json(string chart) =>
        Snapshot.Verify(
            ChartFiles.ToJson(SampleCharts.All[chart](), includeTemplate: false),
            chart
        );
}
