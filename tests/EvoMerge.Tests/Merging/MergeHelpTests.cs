using EvoMerge.Cli;
using EvoMerge.Merging;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>`evomerge merge --help` names every merge method (mergekit's 20) and the recipe options.</summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class MergeHelpTests
{
    [Fact]
    public async Task Help_lists_all_twenty_methods()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = await EvoMergeCli.RunAsync(["merge", "--help"]);
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.Equal(0, code);
        var help = output.ToString();
        string[] mergekit =
        [
            "linear",
            "slerp",
            "nuslerp",
            "multislerp",
            "karcher",
            "task_arithmetic",
            "ties",
            "dare_ties",
            "dare_linear",
            "breadcrumbs",
            "breadcrumbs_ties",
            "della",
            "della_linear",
            "model_stock",
            "passthrough",
            "sce",
            "nearswap",
            "arcee_fusion",
            "ram",
            "ramplus_tl",
        ];
        Assert.Equal(20, MergeMethod.All.Count);
        Assert.Equal(mergekit.Order(), MergeMethod.All.Select(m => m.Name).Order());
        // Help text wraps lines: compare with whitespace collapsed.
        var flat = string.Join(
            " ",
            help.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
        );
        foreach (var method in mergekit)
            Assert.Matches($"[ :,]{method}[,.]", flat);
        Assert.Contains("--model-map", help);
        Assert.Contains("--intermediate-dir", help);
    }
}
