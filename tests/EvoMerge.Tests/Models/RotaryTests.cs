using EvoMerge.Checkpoints.Config;
using EvoMerge.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

public class RotaryTests
{
    static double[] InvFreq(RopeSettings rope, int headDim)
    {
        using var t = Rotary.InverseFrequencies(rope, headDim, CPU);
        return t.to_type(ScalarType.Float64).data<double>().ToArray();
    }

    [Fact]
    public void Linear_scaling_divides_every_frequency()
    {
        var plain = InvFreq(new RopeSettings("default", 10000), 64);
        var linear = InvFreq(new RopeSettings("linear", 10000, Factor: 4), 64);
        Assert.Equal(1.0, plain[0]);
        Assert.Equal(Math.Pow(10000, -2.0 / 64), plain[1], 6);
        for (int i = 0; i < plain.Length; i++)
            Assert.Equal(plain[i] / 4, linear[i], 9);
    }

    [Fact]
    public void Llama3_scaling_keeps_high_frequencies_divides_low_and_blends_between()
    {
        var rope = new RopeSettings("llama3", 500000, 8, 1, 4, 8192);
        var plain = InvFreq(rope with { Type = "default" }, 128);
        var scaled = InvFreq(rope, 128);
        int kept = 0,
            divided = 0,
            blended = 0;
        for (int i = 0; i < plain.Length; i++)
        {
            double wavelen = 2 * Math.PI / plain[i];
            double expected;
            if (wavelen < 8192 / 4.0)
            {
                expected = plain[i];
                kept++;
            }
            else if (wavelen > 8192 / 1.0)
            {
                expected = plain[i] / 8;
                divided++;
            }
            else
            {
                double smooth = (8192 / wavelen - 1) / (4 - 1);
                expected = (1 - smooth) * plain[i] / 8 + smooth * plain[i];
                blended++;
            }
            Assert.Equal(expected, scaled[i], 1e-6 * plain[i] + 1e-12);
        }
        Assert.True(
            kept > 0 && divided > 0 && blended > 0,
            $"kept {kept}, divided {divided}, blended {blended}"
        );
    }
}
