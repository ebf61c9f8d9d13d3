using EvoMerge.Common;
using EvoMerge.Models;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests.Models;

public class LeakTests
{
    [Fact]
    public void Repeated_forward_and_generation_leave_the_live_tensor_count_unchanged()
    {
        using var model = CausalLanguageModel.FromPretrained(
            Reference.ModelDir("mistral-tiny-sharded")
        );
        using var ids = Reference.Load("mistral-tiny-sharded", "input_ids");
        using var mask = Reference.Load("mistral-tiny-sharded", "attention_mask");
        var options = new GenerationOptions
        {
            MaxNewTokens = 4,
            EosTokenIds = ValueArray<int>.Empty,
        };
        long[][] prompts = [Reference.Row(ids, 0), Reference.Row(ids, 1, 5)];

        void Work()
        {
            using (var logits = model.Forward(ids, mask)) { }
            using (var cache = model.CreateCache(2, 24))
            using (var first = model.Forward(ids, mask, cache, lastPositionOnly: true)) { }
            Generation.Generate(model, prompts, options);
        }

        Work(); // warm up lazily created state, if any
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++)
            Work();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Equal(before, after);
    }
}
