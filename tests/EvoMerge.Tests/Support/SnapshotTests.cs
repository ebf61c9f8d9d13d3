using Xunit;
using Xunit.Sdk;

namespace EvoMerge.Tests.Support;

public class SnapshotTests
{
    [Fact]
    public void Matching_text_passes()
    {
        Snapshot.Verify(
            "alpha " + Snapshot.Num(Math.PI, 3) + "\nbeta " + Snapshot.Num(-0.0000001, 3)
        );
    }

    [Fact]
    public void Mismatch_fails_and_writes_received()
    {
        var folder = Path.Combine(Fixtures.RepoRoot, "tests", "EvoMerge.Tests", "Snapshots");
        var received = Path.Combine(
            folder,
            "SnapshotTests.Mismatch_fails_and_writes_received.received.txt"
        );
        var error = Assert.Throws<XunitException>(() => Snapshot.Verify("not what was verified"));
        Assert.Contains("differs from", error.Message);
        Assert.True(File.Exists(received));
        File.Delete(received);
    }
}
