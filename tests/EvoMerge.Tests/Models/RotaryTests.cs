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

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Fast_apply_matches_the_rotate_half_formula(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(5, CPU);
        var x = randn([3, 4, 7, 16], generator: generator).to_type(dtype); // (B, H, T, hd)
        var positions = arange(0, 7, ScalarType.Int64).unsqueeze(0).expand(3, 7) + 11; // (B, T)
        var invFreq = Rotary.InverseFrequencies(new RopeSettings("default", 10000), 16, CPU);
        var (cos, sin) = Rotary.Tables(positions, invFreq, dtype);
        var fast = Rotary.Apply(x, cos, sin);
        var reference = Rotary.ApplyReference(x, cos, sin);
        Assert.Equal(reference.shape, fast.shape);
        // addcmul_ computes x·s + y with one rounding where the textbook form rounds twice: float32
        // within 1e-6, bfloat16 within its own rounding step (2^-8 relative) of the textbook form.
        double tolerance = dtype == ScalarType.Float32 ? 1e-6 : 1.0 / 128;
        var expected = reference.to_type(ScalarType.Float32);
        var delta =
            (fast.to_type(ScalarType.Float32) - expected).abs() / expected.abs().clamp_min(1.0);
        Assert.InRange(delta.max().item<float>(), 0, tolerance);
        Assert.False(fast.eq(x).all().item<bool>()); // it did rotate
    }
}
