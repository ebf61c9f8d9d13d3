using System.Security.Cryptography;
using EvoMerge.Common;
using EvoMerge.Zoo.Building;
using EvoMerge.Zoo.Data;
using Xunit;

namespace EvoMerge.Tests.Zoo;

/// <summary>
/// A smoke-sized zoo (2 training steps per stage) through real files: every stage is written as a
/// loadable HF folder, and <see cref="ZooOptions.Only"/> retrains the named stages alone, reusing the
/// existing tokenizer and leaving the other checkpoints byte for byte.
/// </summary>
public sealed class ZooBuilderTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-zoo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    ZooOptions Options(
        double fineTuneLearningRate = ZooOptions.DefaultFineTuneLearningRate,
        double jaLearningRate = ZooOptions.DefaultJaLearningRate
    ) =>
        new()
        {
            TasksFolder = Path.Combine(_dir, "tasks"),
            OutputFolder = Path.Combine(_dir, "zoo"),
            Stages = ZooOptions.DefaultStages(0.002, fineTuneLearningRate, jaLearningRate),
        };

    string Hash(string stage) =>
        Convert.ToHexString(
            SHA256.HashData(
                File.ReadAllBytes(Path.Combine(_dir, "zoo", stage, "model.safetensors"))
            )
        );

    [Fact]
    public void Only_retrains_the_named_stages_and_keeps_the_rest()
    {
        ZooDataGenerator.Generate(
            new ZooDataOptions
            {
                OutputFolder = Path.Combine(_dir, "tasks"),
                PretrainDocuments = 400,
                JaTextLines = 200,
                EnMathA = 200,
                EnMathB = 200,
                JaMathTrain = 30,
                JaMathValidation = 20,
                JaMathTest = 20,
                MathJapaneseQuestionShare = 0.3,
            }
        );
        var all = ZooBuilder.Build(Options());
        Assert.Equal(["base", "ja", "math-a", "math-b"], all.Select(r => r.Name));
        var before = all.ToDictionary(r => r.Name, r => Hash(r.Name));
        var tokenizer = File.ReadAllBytes(Path.Combine(_dir, "zoo", "base", "tokenizer.model"));

        var again = ZooBuilder.Build(
            Options(jaLearningRate: 1e-3) with
            {
                Only = ValueArray.Of("ja"),
            }
        );

        Assert.Equal(["ja"], again.Select(r => r.Name));
        Assert.NotEqual(before["ja"], Hash("ja")); // another learning rate, other weights
        foreach (var kept in new[] { "base", "math-a", "math-b" })
            Assert.Equal(before[kept], Hash(kept));
        Assert.Equal(
            tokenizer,
            File.ReadAllBytes(Path.Combine(_dir, "zoo", "ja", "tokenizer.model"))
        );
        Assert.False(File.Exists(Path.Combine(_dir, "zoo", ZooBuilder.TokenizerFile)));
        using var model = EvoMerge.Models.CausalLanguageModel.FromPretrained(
            Path.Combine(_dir, "zoo", "ja"),
            TorchSharp.torch.CPU,
            TorchSharp.torch.ScalarType.Float32
        );
    }

    [Fact]
    public void Only_with_an_unknown_stage_or_no_zoo_says_what_is_wrong()
    {
        var unknown = Assert.Throws<ArgumentException>(() =>
            ZooBuilder.Build(Options() with { Only = ValueArray.Of("ja", "physics") })
        );
        Assert.Contains("physics", unknown.Message);
        Assert.Contains("math-b", unknown.Message);
        var missing = Assert.Throws<FileNotFoundException>(() =>
            ZooBuilder.Build(Options() with { Only = ValueArray.Of("ja") })
        );
        Assert.EndsWith(Path.Combine("base", "tokenizer.model"), missing.FileName);
    }

    [Fact]
    public void Cli_zoo_build_only_with_bad_input_says_one_line_and_exits_2()
    {
        var entry = System.Reflection.Assembly.Load("EvoMerge.Cli").EntryPoint!;
        var error = new StringWriter();
        var before = Console.Error;
        Console.SetError(error);
        try
        {
            var zoo = Path.Combine(_dir, "zoo");
            var code = entry.Invoke(
                null,
                [new[] { "zoo", "build", "-o", zoo, "--only", "physics" }]
            );
            Assert.Equal(2, code);
            Assert.Contains("physics", error.ToString());
            code = entry.Invoke(null, [new[] { "zoo", "build", "-o", zoo, "--only", "ja" }]);
            Assert.Equal(2, code);
            Assert.Contains("tokenizer.model", error.ToString());
            Assert.Equal(2, error.ToString().Trim().Split('\n').Length);
            Assert.False(Directory.Exists(zoo));
        }
        finally
        {
            Console.SetError(before);
        }
    }
}
