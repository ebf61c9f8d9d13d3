using System.CommandLine;
using System.Text.RegularExpressions;
using EvoMerge.Cli.Commands;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Benchmarks;

/// <summary>`evomerge bench …` on tiny sizes: the commands parse, call the library and print the lines scripts and docs read.</summary>
[Collection(ConsoleCaptureCollection.Name)]
public class BenchCommandTests
{
    static string[] Bench(params string[] args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = BenchCommand.Create().Parse(args).Invoke();
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.True(code == 0, $"bench {string.Join(' ', args)} returned {code}:\n{output}");
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    static void Matches(string pattern, string line) =>
        Assert.True(Regex.IsMatch(line, pattern), $"'{line}' does not match {pattern}");

    const string N = @"[0-9.]+";

    [Fact]
    public void Merge_prints_the_merge_sum_and_copy_lines()
    {
        var lines = Bench(
            "merge",
            "--shape",
            "tiny",
            "--layers",
            "1",
            "--sources",
            "1",
            "--runs",
            "1"
        );
        Assert.Equal(5, lines.Length);
        Matches(
            $@"^bench merge: shape tiny \(1 layers, {N}B params/model\), 1 sources \+ base, dare_ties, float32 on cpu, chunk default, threads \d+$",
            lines[0]
        );
        Matches($@"^  source bytes per merge: {N} GB; median of 1 runs after warm-up$", lines[1]);
        Matches($@"^  dare_ties +{N} s +{N} GB/s$", lines[2]);
        Matches($@"^  plain sum +{N} s +{N} GB/s   merge/sum throughput = \d+ ?%$", lines[3]);
        Matches($@"^  plain copy +{N} s +{N} GB/s   merge/copy throughput = \d+ ?%$", lines[4]);
    }

    [Fact]
    public void Threshold_prints_three_equal_values_and_the_timings()
    {
        var lines = Bench("threshold", "--elements", "4096");
        Assert.Equal(4, lines.Length);
        Assert.Single(lines[..3].Distinct());
        Matches($@"^    value {N}(E-?\d+)?$", lines[0]);
        Matches(
            $@"^bench threshold: 4096 elements, k = 1228, cpu: topk-based {N} s, kthvalue {N} s, sort {N} s$",
            lines[3]
        );
    }

    [Fact]
    public void Forward_prints_model_forward_and_decode_lines()
    {
        var lines = Bench(
            "forward",
            "--shape",
            "tiny",
            "--layers",
            "1",
            "--batch",
            "1",
            "--seq",
            "4",
            "--new-tokens",
            "2",
            "--repeats",
            "1"
        );
        Assert.Equal(3, lines.Length);
        Matches($@"^model: {N}M parameters, float32 on cpu, \d+ threads$", lines[0]);
        Matches($@"^forward 1x4: {N} s = {N} tokens/s$", lines[1]);
        Matches(
            $@"^greedy decode 1 rows x 2 tokens \(KV cache\): prefill {N} s, decode {N} s = {N} tokens/s$",
            lines[2]
        );
    }

    [Fact]
    public void Load_prints_sizes_times_and_memory_and_deletes_its_checkpoint()
    {
        using var temp = new TempFolder();
        var lines = Bench("load", "--gb", "0.004", "--dir", temp.Path);
        Assert.Equal(4, lines.Length);
        Matches(
            $@"^checkpoint: {N} GB, 40 tensors, 1 shards \(written in {N} s, then deleted\)$",
            lines[0]
        );
        Matches($@"^open \(headers only\): {N} ms$", lines[1]);
        Matches($@"^load one tensor \({N} MB\): {N} ms$", lines[2]);
        Matches(
            $@"^RSS before open: {N} MB; peak RSS after open\+load: {N} MB \(\+-?{N} MB\)",
            lines[3]
        );
        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
    }
}
