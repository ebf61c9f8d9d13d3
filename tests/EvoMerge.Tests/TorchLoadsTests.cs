using EvoMerge.Runtime;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests;

public class TorchLoadsTests
{
    [Fact]
    public void Matmul_and_elementwise_run_on_cpu()
    {
        TorchRuntime.Initialize();
        using var scope = torch.NewDisposeScope();
        var a = torch.tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        var b = torch.tensor(new float[] { 5, 6, 7, 8 }, new long[] { 2, 2 });
        var product = torch.matmul(a, b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
        var sum = (a * 2 + b).data<float>().ToArray();
        Assert.Equal(new float[] { 7, 10, 13, 16 }, sum);
    }
}
