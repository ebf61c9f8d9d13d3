using EvoMerge.Checkpoints.Config;
using EvoMerge.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

public class AttentionContextTests
{
    /// <summary>Rows = queries, columns = keys; '1' where the additive mask lets the key through.</summary>
    static string[] Pattern(Tensor mask, int row = 0)
    {
        var visible = mask[row, 0].eq(0);
        return Enumerable
            .Range(0, (int)visible.shape[0])
            .Select(i =>
                string.Concat(visible[i].data<bool>().ToArray().Select(v => v ? '1' : '0'))
            )
            .ToArray();
    }

    [Fact]
    public void Sliding_window_and_left_padding_combine_with_the_causal_mask()
    {
        using var scope = NewDisposeScope();
        var padding = tensor(new long[] { 0, 0, 1, 1, 1, 1 }, [1, 6]);
        using var context = AttentionContext.Create(1, 6, padding, null, CPU, ScalarType.Float32);
        Assert.Equal(new long[] { 1, 1, 0, 1, 2, 3 }, context.Positions[0].data<long>().ToArray());
        Assert.Equal(
            ["000000", "000000", "001000", "001100", "001110", "001111"],
            Pattern(context.MaskFor(null)!)
        );
        Assert.Equal(
            ["000000", "000000", "001000", "001100", "000110", "000011"],
            Pattern(context.MaskFor(2)!)
        );
        Assert.Same(context.MaskFor(2), context.MaskFor(2)); // built once per pass
    }

    [Fact]
    public void With_a_cache_queries_sit_after_the_past_tokens()
    {
        using var scope = NewDisposeScope();
        using var cache = new KvCache(1, 8, [new KvCacheSlotShape(1, 4)], ScalarType.Float32, CPU);
        cache.Advance(5);
        using var context = AttentionContext.Create(1, 2, null, cache, CPU, ScalarType.Float32);
        Assert.Equal(new long[] { 5, 6 }, context.Positions[0].data<long>().ToArray());
        Assert.Equal(["1111110", "1111111"], Pattern(context.MaskFor(null)!));
        Assert.Equal(["0001110", "0000111"], Pattern(context.MaskFor(3)!));
        var (cos, sin) = context.RotaryFor(new RopeSettings("default", 10000), 4);
        Assert.Equal(new long[] { 1, 2, 4 }, cos.shape);
        Assert.Equal(Math.Cos(5.0), cos[0, 0, 0].item<float>(), 5);
        Assert.Equal(Math.Sin(6.0), sin[0, 1, 2].item<float>(), 5);
    }

    [Fact]
    public void One_new_token_without_padding_or_window_needs_no_mask()
    {
        using var context = AttentionContext.Create(2, 1, null, null, CPU, ScalarType.Float32);
        Assert.Null(context.MaskFor(null));
        Assert.Null(context.MaskFor(4)); // a window wider than the keys masks nothing
    }

    [Fact]
    public void Kv_cache_writes_in_place_and_refuses_overflow_and_foreign_shapes()
    {
        using var scope = NewDisposeScope();
        using var cache = new KvCache(
            1,
            3,
            [new KvCacheSlotShape(2, 4), new KvCacheSlotShape(2, 4)],
            ScalarType.Float32,
            CPU
        );
        var (k, v) = cache.Append(1, ones(1, 2, 2, 4), full(1, 2, 2, 4, 2f));
        Assert.Equal(new long[] { 1, 2, 2, 4 }, k.shape);
        cache.Advance(2);
        (k, v) = cache.Append(1, full(1, 2, 1, 4, 3f), full(1, 2, 1, 4, 4f));
        Assert.Equal(new[] { 1f, 1f, 3f }, k[0, 0, .., 0].data<float>().ToArray());
        Assert.Equal(new[] { 2f, 2f, 4f }, v[0, 1, .., 3].data<float>().ToArray());
        cache.Advance(1);
        Assert.Contains(
            "KV cache full",
            Assert
                .Throws<InvalidOperationException>(() =>
                    cache.Append(0, ones(1, 2, 1, 4), ones(1, 2, 1, 4))
                )
                .Message
        );
        cache.Reset();
        Assert.Throws<ArgumentException>(() => cache.Append(0, ones(1, 3, 1, 4), ones(1, 3, 1, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            cache.Append(2, ones(1, 2, 1, 4), ones(1, 2, 1, 4))
        );
    }
}
