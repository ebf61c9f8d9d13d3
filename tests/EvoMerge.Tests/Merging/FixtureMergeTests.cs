using System.Globalization;
using System.Text;
using System.Text.Json;
using EvoMerge.Cli.Commands;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// Every case of merges/llama-family/cases.json, written as a mergekit YAML and run through the
/// `merge` command's handler, must reproduce mergekit's tensors (expected.&lt;case&gt;.safetensors).
/// </summary>
public sealed class FixtureMergeTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-merge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Family, "cases.json")));
        var data = new TheoryData<string>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateObject())
            data.Add(c.Name);
        return data;
    }

    /// <summary>The case as mergekit YAML (model paths absolute, pointing at the fixture folders).</summary>
    internal static string Yaml(string caseName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Family, "cases.json")));
        var c = doc.RootElement.GetProperty("cases").GetProperty(caseName);
        string Num(JsonElement e) => e.GetDouble().ToString("R", CultureInfo.InvariantCulture);
        var yaml = new StringBuilder();
        yaml.AppendLine($"merge_method: {c.GetProperty("method").GetString()}");
        if (c.TryGetProperty("base", out var b))
            yaml.AppendLine($"base_model: {Path.Combine(Family, b.GetString()!)}");
        var global = new List<string>();
        foreach (var key in new[] { "normalize", "lambda", "t" })
            if (c.TryGetProperty(key, out var v))
                global.Add(
                    $"  {key}: {(v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean().ToString().ToLowerInvariant() : Num(v))}"
                );
        if (global.Count > 0)
            yaml.AppendLine("parameters:").AppendLine(string.Join("\n", global));
        yaml.AppendLine("models:");
        var models = c.GetProperty("models").EnumerateArray().Select(m => m.GetString()!).ToList();
        for (int i = 0; i < models.Count; i++)
        {
            yaml.AppendLine($"  - model: {Path.Combine(Family, models[i])}");
            var parameters = new List<string>();
            if (c.TryGetProperty("weight", out var w))
                parameters.Add($"weight: {Num(w[i])}");
            if (c.TryGetProperty("density", out var d))
                parameters.Add($"density: {Num(d[i])}");
            if (c.TryGetProperty("gamma", out var g))
                parameters.Add($"gamma: {Num(g)}");
            if (parameters.Count > 0)
            {
                yaml.AppendLine("    parameters:");
                foreach (var p in parameters)
                    yaml.AppendLine($"      {p}");
            }
        }
        return yaml.ToString();
    }

    static bool UsesCount(string caseName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Family, "cases.json")));
        var c = doc.RootElement.GetProperty("cases").GetProperty(caseName);
        return c.TryGetProperty("consensus", out var k) && k.GetString() == "count";
    }

    /// <summary>The cases merged by the task-arithmetic kernel, with each backend asked for explicitly.</summary>
    public static TheoryData<string, KernelBackend> TaskArithmeticCasesAndBackends()
    {
        var data = new TheoryData<string, KernelBackend>();
        foreach (var caseName in Cases())
            if (Method(caseName) is "task_arithmetic" or "ties" or "breadcrumbs_ties")
                foreach (var backend in new[] { KernelBackend.TorchOps, KernelBackend.Fused })
                    data.Add(caseName, backend);
        return data;
    }

    static string Method(string caseName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Family, "cases.json")));
        return doc
            .RootElement.GetProperty("cases")
            .GetProperty(caseName)
            .GetProperty("method")
            .GetString()!;
    }

    /// <summary>
    /// The fused CPU kernel and the torch-op kernel, each chosen explicitly, reproduce mergekit
    /// (an explicit Fused refuses a tensor it cannot take, so passing means it ran on every one).
    /// </summary>
    [Theory]
    [MemberData(nameof(TaskArithmeticCasesAndBackends))]
    public void Each_kernel_backend_reproduces_mergekit(string caseName, KernelBackend backend)
    {
        var yamlPath = Path.Combine(_dir, caseName + ".yaml");
        File.WriteAllText(yamlPath, Yaml(caseName));
        var output = Path.Combine(_dir, $"out-{caseName}-{backend}");
        var plan = MergeExecutor.Run(
            RecipeYaml.Load(yamlPath),
            output,
            MergeOptions.Cpu with
            {
                Backend = backend,
                ChunkElements = 4096, // several chunks per tensor
            },
            adjustPlan: UsesCount(caseName) ? CountConsensus : null
        );
        Assert.Contains(plan.Tensors, t => t.Operation is TaskArithmeticOperation);
        var worst = MergeTestSupport.MaxDifference(
            Path.Combine(Family, $"expected.{caseName}.safetensors"),
            output
        );
        Assert.True(worst <= 1e-6, $"{caseName} ({backend}): max |Δ| = {worst:E3}");
    }

    /// <summary>mergekit has count consensus in code but not in its YAML: switch it on through the API.</summary>
    static MergePlan CountConsensus(MergePlan plan) =>
        plan with
        {
            Tensors = plan
                .Tensors.Select(t =>
                    t.Operation is TaskArithmeticOperation op
                        ? t with
                        {
                            Operation = op with { Consensus = Consensus.Count },
                        }
                        : t
                )
                .ToArray(),
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reproduces_mergekit(string caseName)
    {
        var yamlPath = Path.Combine(_dir, caseName + ".yaml");
        File.WriteAllText(yamlPath, Yaml(caseName));
        var output = Path.Combine(_dir, "out-" + caseName);
        if (UsesCount(caseName))
        {
            MergeExecutor.Run(
                RecipeYaml.Load(yamlPath),
                output,
                MergeOptions.Cpu,
                adjustPlan: CountConsensus
            );
        }
        else
        {
            Assert.Equal(
                0,
                MergeCommand.Run(yamlPath, output, "cpu", 0, "5GB", showProgress: false)
            );
        }
        var worst = MergeTestSupport.MaxDifference(
            Path.Combine(Family, $"expected.{caseName}.safetensors"),
            output
        );
        Assert.True(worst <= 1e-6, $"{caseName}: max |Δ| = {worst:E3}");
        Assert.True(File.Exists(Path.Combine(output, "config.json")));
        Assert.True(File.Exists(Path.Combine(output, "generation_config.json")));
    }
}
