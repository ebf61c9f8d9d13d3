using EvoMerge.Cluster;
using EvoMerge.Common;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using Xunit;

namespace EvoMerge.Tests.Cluster;

/// <summary>The pure parts of the cluster: addresses and what travels on the wire.</summary>
public sealed class ClusterAddressTests
{
    [Theory]
    [InlineData("localhost", "localhost", true)]
    [InlineData("redis://127.0.0.1:6380", "redis://127.0.0.1:6380", true)]
    [InlineData("redis://redis-host", "redis://redis-host:6379", false)]
    [InlineData("redis://10.0.0.5:7000/", "redis://10.0.0.5:7000", false)]
    public void Addresses_parse(string text, string shown, bool loopback)
    {
        var address = ClusterAddress.Parse(text);
        Assert.Equal(shown, address.ToString());
        Assert.Equal(loopback, address.IsLoopback);
    }

    [Theory]
    [InlineData("redis:/nowhere")]
    [InlineData("http://host:6379")]
    [InlineData("redis://host:6379/db1")]
    [InlineData("")]
    public void Bad_addresses_name_the_option_and_the_forms(string text)
    {
        var error = Assert.Throws<ClusterException>(() => ClusterAddress.Parse(text));
        Assert.Equal(
            $"--cluster: expected 'localhost' or 'redis://host:port', got '{text}'",
            error.Message
        );
    }

    [Fact]
    public void Requests_and_results_cross_the_wire_bit_for_bit()
    {
        var task = new FitnessTask("/data/t_train.jsonl", 5, "Q: {question}\nA:", "rouge-l", 7, 3);
        var request = new CandidateRequest(
            3,
            ValueArray.Of(1.0 / 3, 0.1 + 0.2, double.Epsilon, -0.0, 1e-300),
            42,
            ValueArray.Of(task)
        );
        var back = Wire.ReadRequest(Wire.Request(request));
        Assert.Equal(request, back);
        Assert.Equal(
            request.Genome.Select(BitConverter.DoubleToInt64Bits),
            back.Genome.Select(BitConverter.DoubleToInt64Bits)
        );
        var result = new CandidateResult(3, ValueArray.Of(0.123456789012345678, 2.0 / 3), 0.5, "w");
        var reply = Wire.ReadReply(Wire.Ok(result));
        Assert.Equal(result, reply.Result);
        Assert.Null(reply.Error);
        Assert.Equal("boom", Wire.ReadReply(Wire.Failed("boom")).Error);
    }
}
