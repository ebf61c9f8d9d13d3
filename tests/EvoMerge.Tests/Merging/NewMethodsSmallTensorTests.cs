using EvoMerge.Merging;
using EvoMerge.Recipes;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>The new methods on small tensors through the public API (InMemoryMerger + mergekit YAML), checked against their formulas: the cells notebook 01 shows.</summary>
public sealed class NewMethodsSmallTensorTests(ITestOutputHelper output)
{
    const string W = "model.layers.0.mlp.down_proj.weight";

    [Fact]
    public void Nearswap_sce_ram_and_the_spherical_means_follow_their_formulas()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var baseW = randn(new long[] { 64, 128 }, generator: gen);
        var shared = 0.05f * randn(new long[] { 64, 128 }, generator: gen);
        var tauA = shared + 0.05f * randn(new long[] { 64, 128 }, generator: gen);
        var tauB = shared + 0.05f * randn(new long[] { 64, 128 }, generator: gen);
        var models = new Dictionary<string, IReadOnlyDictionary<string, Tensor>>
        {
            ["base"] = new Dictionary<string, Tensor> { [W] = baseW },
            ["a"] = new Dictionary<string, Tensor> { [W] = baseW + tauA },
            ["b"] = new Dictionary<string, Tensor> { [W] = baseW + tauB },
        };
        Tensor Merge(string yaml, long seed = 0)
        {
            var target = zeros(64, 128);
            using var merger = new InMemoryMerger(
                models,
                new Dictionary<string, Tensor> { [W] = target },
                new MergeOptions(CPU, seed)
            );
            merger.Merge(RecipeYaml.Parse(yaml));
            return target;
        }
        double MaxDiff(Tensor x, Tensor y) => (x - y).abs().max().item<float>();

        // --- snippet 1: nearswap and ram against their formulas
        var nearswap = Merge(
            """
            merge_method: nearswap
            base_model: base
            models: [{model: base}, {model: a}]
            parameters: {t: 0.05}
            """
        );
        var w = (0.05f / tauA.abs()).clamp(0, 1); // take A where it is within t of the base
        var ram = Merge(
            """
            merge_method: ram
            base_model: base
            models: [{model: a}, {model: b}]
            parameters: {epsilon: 0.05}
            """
        );
        var activeA = tauA.abs().gt(0.05f).to(float32);
        var activeB = tauB.abs().gt(0.05f).to(float32);
        var ramFormula =
            baseW + (activeA * tauA + activeB * tauB) / (activeA + activeB).clamp_min(1);
        double nearswapDiff = MaxDiff(nearswap, baseW + w * tauA);
        double ramDiff = MaxDiff(ram, ramFormula);
        output.WriteLine($"nearswap {nearswapDiff:E2} ram {ramDiff:E2}");
        Assert.True(nearswapDiff < 1e-6);
        Assert.True(ramDiff < 1e-6);

        // --- snippet 2: sce keeps the select_topk fraction of the positions where A and B differ most
        foreach (var k in new[] { 0.1, 0.3, 0.6, 1.0 })
        {
            var delta =
                Merge(
                    $"merge_method: sce\nbase_model: base\nmodels: [{{model: a}}, {{model: b}}]\nparameters: {{select_topk: {k}}}\n"
                ) - baseW;
            var kept = delta.ne(0).to(float32).mean().item<float>();
            output.WriteLine($"sce select_topk {k}: kept {kept:F4}");
            Assert.InRange(kept, k - 0.01, k + 0.01);
        }

        // --- snippet 3: multislerp (equal weights) and karcher agree on the spherical mean of A and B
        var multislerp = Merge(
            "merge_method: multislerp\nmodels: [{model: a, parameters: {weight: 1}}, {model: b, parameters: {weight: 1}}]\n"
        );
        var karcher = Merge("merge_method: karcher\nmodels: [{model: a}, {model: b}]\n");
        var linear = Merge(
            "merge_method: linear\nmodels: [{model: a, parameters: {weight: 1}}, {model: b, parameters: {weight: 1}}]\n"
        );
        double sphereDiff = MaxDiff(multislerp, karcher);
        double norms = (multislerp.norm().item<float>() / linear.norm().item<float>());
        output.WriteLine(
            $"multislerp vs karcher {sphereDiff:E2}; |multislerp| / |linear| = {norms:F4}"
        );
        Assert.True(sphereDiff < 1e-4);
        Assert.True(norms > 1, "the spherical mean keeps the norm the linear average loses");
    }
}
