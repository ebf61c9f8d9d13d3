using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvoMerge.Evaluation;
using EvoMerge.Tests.Support;
using EvoMerge.Zoo.Data;
using Xunit;

namespace EvoMerge.Tests.Zoo;

public sealed partial class ZooDataGeneratorTests : IDisposable
{
    static readonly string Shipped = Path.Combine(Fixtures.RepoRoot, "data", "tasks");
    readonly string folder = Directory.CreateTempSubdirectory("evomerge-zoo-data-").FullName;

    public void Dispose() => Directory.Delete(folder, true);

    static ZooDataOptions Small(ulong seed = 5) =>
        new()
        {
            Seed = seed,
            PretrainDocuments = 200,
            JaTextLines = 100,
            EnMathA = 50,
            EnMathB = 50,
            JaMathTrain = 30,
            JaMathValidation = 10,
            JaMathTest = 20,
        };

    [Fact]
    public void Same_seed_same_bytes_other_seed_other_bytes()
    {
        var first = ZooDataGenerator.Build(Small());
        var second = ZooDataGenerator.Build(Small());
        Assert.Equal(first.Select(f => f.Name), second.Select(f => f.Name));
        for (var i = 0; i < first.Count; i++)
            Assert.Equal(first[i].Bytes, second[i].Bytes);
        var other = ZooDataGenerator.Build(Small(6));
        Assert.NotEqual(first[0].Bytes, other[0].Bytes);
        Assert.NotEqual(first[4].Bytes, other[4].Bytes);
    }

    [Fact]
    public void Resizing_one_file_leaves_the_others_unchanged()
    {
        var baseline = ZooDataGenerator.Build(Small());
        var resized = ZooDataGenerator.Build(Small() with { PretrainDocuments = 300 });
        Assert.NotEqual(baseline[0].Bytes, resized[0].Bytes);
        for (var i = 1; i < 7; i++)
            Assert.Equal(baseline[i].Bytes, resized[i].Bytes);
    }

    [Fact]
    public void Shipped_folder_is_exactly_what_the_default_options_generate()
    {
        foreach (var (name, bytes, _) in ZooDataGenerator.Build(new ZooDataOptions()))
            Assert.True(
                File.ReadAllBytes(Path.Combine(Shipped, name)).AsSpan().SequenceEqual(bytes),
                $"data/tasks/{name} differs from the generator's output: rerun `evomerge zoo data`."
            );
    }

    [Fact]
    public void Shipped_folder_stays_small() =>
        Assert.True(Directory.GetFiles(Shipped).Sum(f => new FileInfo(f).Length) < 8_000_000);

    [Fact]
    public void Generate_writes_every_file_atomically_and_reports_it()
    {
        var options = Small() with { OutputFolder = Path.Combine(folder, "out") };
        var report = ZooDataGenerator.Generate(options);
        Assert.Equal(
            [.. ZooDataGenerator.DataFiles, "prompts.json", "README.md"],
            report.Files.Select(f => f.Name)
        );
        foreach (var f in report.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(options.OutputFolder, f.Name));
            Assert.Equal(f.Bytes, bytes.Length);
            Assert.Equal(f.Sha256, ZooDataGenerator.Sha256(bytes));
            if (f.Name.EndsWith(".jsonl", StringComparison.Ordinal))
                Assert.Equal(
                    f.Items,
                    File.ReadAllLines(Path.Combine(options.OutputFolder, f.Name)).Length
                );
        }
        Assert.Empty(Directory.GetFiles(options.OutputFolder, "*.tmp"));
        Assert.Equal(30, report.Files[4].Items);
    }

    [Fact]
    public void Bad_options_write_nothing()
    {
        var output = Path.Combine(folder, "bad");
        Assert.Throws<ArgumentException>(() =>
            ZooDataGenerator.Generate(Small() with { OutputFolder = output, OperandMax = 0 })
        );
        Assert.Throws<ArgumentException>(() =>
            ZooDataGenerator.Generate(
                Small() with
                {
                    OutputFolder = output,
                    JaMathSubtractionShare = 1.5,
                }
            )
        );
        // Operands 1..2 allow fewer than 8,000 distinct MATH-A questions (18 people × 14 things × a few verbs × 4 operand pairs).
        Assert.Contains(
            "distinct",
            Assert
                .Throws<ArgumentException>(() =>
                    ZooDataGenerator.Generate(
                        Small() with
                        {
                            OutputFolder = output,
                            OperandMax = 2,
                            EnMathA = 20000,
                        }
                    )
                )
                .Message
        );
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Target_splits_are_disjoint_and_sized()
    {
        var train = TaskSetLoader.Load(Path.Combine(Shipped, "ja_math_train.jsonl"));
        var validation = TaskSetLoader.Load(Path.Combine(Shipped, "ja_math_validation.jsonl"));
        var test = TaskSetLoader.Load(Path.Combine(Shipped, "ja_math_test.jsonl"));
        Assert.Equal(
            (TaskSplit.Train, TaskSplit.Validation, TaskSplit.Test),
            (train.Split, validation.Split, test.Split)
        );
        Assert.Equal(
            (300, 100, 200),
            (train.Items.Count, validation.Items.Count, test.Items.Count)
        );
        var all = train
            .Items.Concat(validation.Items)
            .Concat(test.Items)
            .Select(i => i.Question)
            .ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    public static TheoryData<string> MathFiles =>
        [
            "en_math_a.jsonl",
            "en_math_b.jsonl",
            "ja_math_train.jsonl",
            "ja_math_validation.jsonl",
            "ja_math_test.jsonl",
        ];

    [Theory]
    [MemberData(nameof(MathFiles))]
    public void Every_answer_is_arithmetically_right_and_matches_the_story(string file) =>
        AssertAnswersMatchStories(Path.Combine(Shipped, file), 50);

    static void AssertAnswersMatchStories(string path, int operandMax)
    {
        var file = Path.GetFileName(path);
        var set = TaskSetLoader.Load(path);
        foreach (var item in set.Items)
        {
            var m = EquationPattern().Match(item.Answer);
            Assert.True(m.Success, $"{file}: no equation in \"{item.Answer}\"");
            int a = int.Parse(m.Groups[1].Value),
                b = int.Parse(m.Groups[3].Value),
                c = int.Parse(m.Groups[4].Value);
            var subtract = m.Groups[2].Value == "-";
            Assert.Equal(subtract ? a - b : a + b, c);
            Assert.True(c >= 0);
            Assert.Equal(c.ToString(), item.GoldNumber);
            Assert.InRange(a, 1, operandMax);
            Assert.InRange(b, 1, operandMax);
            // The question states exactly the two operands, in order.
            Assert.Equal([a.ToString(), b.ToString()], Numbers.ExtractAll(item.Question));
            // The story's verb implies the operation.
            var minus = SubtractionWords.Any(w => Regex.IsMatch(item.Question, w));
            var plus = AdditionWords.Any(w => Regex.IsMatch(item.Question, w));
            Assert.True(minus != plus, $"{file}: cannot tell the operation of \"{item.Question}\"");
            Assert.Equal(subtract, minus);
        }
    }

    // Regular expressions: plain words, except " gets \d", which keeps "gets off" out.
    static readonly string[] AdditionWords =
    [
        " buys ",
        @" gets \d",
        " finds ",
        " gives him ",
        " gives her ",
        " put in",
        " added to ",
        " drive in",
        " drives in",
        " get on",
        " gets on",
        " arrive",
        " board",
        " come in",
        " comes in",
        "もらいました",
        "買いました",
        "見つけました",
        "くれました",
        "入れました",
        "増えました",
        "やって来ました",
        "飛んできました",
        "遊びに来ました",
        "足しました",
        "入ってきました",
        "乗ってきました",
        "着きました",
    ];

    static readonly string[] SubtractionWords =
    [
        " gives away ",
        " loses ",
        " sells ",
        " eats ",
        " taken out",
        " removed ",
        " drive away",
        " drives away",
        " get off",
        " gets off",
        " sail away",
        " sails away",
        " leave",
        " leaves",
        "あげました",
        "なくしました",
        "使いました",
        "食べました",
        "取り出しました",
        "減りました",
        "どこかへ行きました",
        "にげていきました",
        "家に帰りました",
        "飛んでいきました",
        "売りました",
        "取りました",
        "出ていきました",
        "降りました",
        "帰りました",
    ];

    [Theory]
    [InlineData("pretrain.jsonl")]
    [InlineData("ja_text.jsonl")]
    public void General_text_holds_no_arithmetic(string file)
    {
        var texts = Texts(Path.Combine(Shipped, file)).ToList();
        Assert.NotEmpty(texts);
        texts.ForEach(AssertNoArithmetic);
    }

    /// <summary>The <c>text</c> of every line of a <c>{"text"}</c> JSONL file.</summary>
    static IEnumerable<string> Texts(string path) =>
        File.ReadLines(path)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!);

    /// <summary>
    /// With <see cref="ZooDataOptions.PretrainArithmeticShare"/> the base may compute (bare, correct
    /// equations, one per line) but still never sees a word problem, a worked answer or <c>####</c>,
    /// and <c>ja_text</c> stays free of arithmetic.
    /// </summary>
    [Fact]
    public void Pretraining_equations_are_bare_and_right()
    {
        var options = Small() with
        {
            OutputFolder = Path.Combine(folder, "equations"),
            PretrainDocuments = 2000,
            PretrainArithmeticShare = 0.1,
        };
        ZooDataGenerator.Generate(options);
        var texts = Texts(Path.Combine(options.OutputFolder, "pretrain.jsonl")).ToList();
        int equationDocuments = 0;
        foreach (var text in texts)
        {
            if (!text.Contains('='))
            {
                AssertNoArithmetic(text);
                continue;
            }
            equationDocuments++;
            foreach (var equation in text.Split('\n'))
            {
                var m = EquationPattern().Match(equation);
                Assert.True(
                    m.Success && m.Length == equation.Length,
                    $"pretrain: not a bare equation: \"{equation}\""
                );
                int a = int.Parse(m.Groups[1].Value),
                    b = int.Parse(m.Groups[3].Value);
                Assert.Equal(
                    m.Groups[2].Value == "-" ? a - b : a + b,
                    int.Parse(m.Groups[4].Value)
                );
            }
        }
        // 2,000 draws: σ ≈ 0.007.
        Assert.InRange((double)equationDocuments / texts.Count, 0.08, 0.12);
        foreach (var text in Texts(Path.Combine(options.OutputFolder, "ja_text.jsonl")))
            AssertNoArithmetic(text);
    }

    static void AssertNoArithmetic(string text)
    {
        Assert.DoesNotContain("=", text);
        Assert.DoesNotContain("+", text);
        Assert.DoesNotContain("####", text);
        Assert.False(OperatorBetweenNumbers().IsMatch(text), $"arithmetic in \"{text}\"");
    }

    [Fact]
    public void Language_check_tells_the_target_from_the_english_math()
    {
        foreach (
            var file in new[]
            {
                "ja_math_train.jsonl",
                "ja_math_validation.jsonl",
                "ja_math_test.jsonl",
            }
        )
            Assert.All(
                TaskSetLoader.Load(Path.Combine(Shipped, file)).Items,
                i => Assert.True(JapaneseScript.IsJapanese(i.Answer), i.Answer)
            );
        foreach (var file in new[] { "en_math_a.jsonl", "en_math_b.jsonl" })
            Assert.All(
                TaskSetLoader.Load(Path.Combine(Shipped, file)).Items,
                i => Assert.False(JapaneseScript.IsJapanese(i.Answer), i.Answer)
            );
        foreach (var text in Texts(Path.Combine(Shipped, "ja_text.jsonl")))
            Assert.True(JapaneseScript.IsJapanese(text), text);
    }

    /// <summary>The target's things: none may appear in a math source's Japanese questions.</summary>
    static readonly string[] TargetThings =
    [
        "鉛筆",
        "花",
        "傘",
        "大根",
        "だんご",
        "切手",
        "皿",
        "折り紙",
        "せんべい",
        "ノート",
        "絵本",
        "おにぎり",
        "ケーキ",
        "貝がら",
        "石",
        "金魚",
        "鳥",
        "アヒル",
        "うさぎ",
        "子ども",
        "ちょうちょ",
    ];

    /// <summary>The option behind the second zoo design (see docs/zoo-experiments.md), on generated data.</summary>
    [Fact]
    public void Math_sources_can_read_some_japanese_in_their_own_stories()
    {
        var options = Small() with
        {
            OutputFolder = Path.Combine(folder, "ja-slice"),
            EnMathA = 1000,
            EnMathB = 1000,
            OperandMax = 20,
            MathJapaneseQuestionShare = 0.3,
        };
        ZooDataGenerator.Generate(options);
        var targets = new[] { "train", "validation", "test" }
            .SelectMany(s =>
                TaskSetLoader.Load(Path.Combine(options.OutputFolder, $"ja_math_{s}.jsonl")).Items
            )
            .Select(i => i.Question)
            .ToHashSet();
        foreach (var file in new[] { "en_math_a.jsonl", "en_math_b.jsonl" })
        {
            var path = Path.Combine(options.OutputFolder, file);
            AssertAnswersMatchStories(path, 20);
            var items = TaskSetLoader.Load(path).Items;
            var japanese = items.Where(i => JapaneseScript.ContainsJapanese(i.Question)).ToList();
            // The option's share, within sampling noise (1,000 draws: σ ≈ 0.015).
            Assert.InRange((double)japanese.Count / items.Count, 0.25, 0.35);
            foreach (var item in japanese)
            {
                Assert.DoesNotContain(item.Question, targets);
                // As the object or subject of a sentence ("花子" is a name, not the thing "花").
                Assert.DoesNotContain(
                    TargetThings,
                    t =>
                        item.Question.Contains(t + "を", StringComparison.Ordinal)
                        || item.Question.Contains(t + "が", StringComparison.Ordinal)
                );
                // The source's symbolic style: it still fails the target's language check.
                Assert.False(JapaneseScript.ContainsJapanese(item.Answer), item.Answer);
                Assert.EndsWith($"。\n#### {item.GoldNumber}", item.Answer);
            }
        }
    }

    [Fact]
    public void Target_answers_pass_the_paper_metric_and_math_style_answers_fail_it()
    {
        var train = TaskSetLoader.Load(Path.Combine(Shipped, "ja_math_train.jsonl"));
        var metric = new TaskMetric.NumberExactMatchInJapanese();
        foreach (var item in train.Items)
        {
            var prompt = PromptTemplate.JapaneseMath.Render(item.Question);
            var asGold = Evaluator.Score(
                0,
                item,
                prompt,
                " " + item.Answer,
                metric,
                GenerationOptions.Default
            );
            Assert.Equal(1.0, asGold.Score);
            var mathStyle = Evaluator.Score(
                0,
                item,
                prompt,
                $" {EquationPattern().Match(item.Answer).Value}. #### {item.GoldNumber}",
                metric,
                GenerationOptions.Default
            );
            Assert.Equal((true, 0.0), (mathStyle.Correct, mathStyle.Score));
        }
        // A Japanese answer that reads the question's last number back rarely hits (only when a = 2b).
        var copies = train.Items.Select(item =>
            Evaluator
                .Score(
                    0,
                    item,
                    "",
                    $" 答えは{Numbers.ExtractAll(item.Question)[^1]}個です。",
                    metric,
                    GenerationOptions.Default
                )
                .Score
        );
        Assert.InRange(copies.Average(), 0.0, 0.06);
    }

    [Fact]
    public void Operation_mixes_follow_the_options()
    {
        double Share(string file) =>
            TaskSetLoader
                .Load(Path.Combine(Shipped, file))
                .Items.Average(i =>
                    EquationPattern().Match(i.Answer).Groups[2].Value == "-" ? 1.0 : 0.0
                );
        Assert.InRange(Share("en_math_a.jsonl"), 0.36, 0.44);
        Assert.InRange(Share("en_math_b.jsonl"), 0.56, 0.64);
        Assert.InRange(Share("ja_math_train.jsonl"), 0.42, 0.58);
    }

    [Fact]
    public void Operand_range_is_a_parameter()
    {
        var built = ZooDataGenerator.Build(Small() with { OperandMin = 10, OperandMax = 20 });
        foreach (var (name, bytes, _) in built.Where(f => f.Name.Contains("math")))
        foreach (
            var line in System
                .Text.Encoding.UTF8.GetString(bytes)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        )
        {
            var answer = JsonDocument.Parse(line).RootElement.GetProperty("answer").GetString()!;
            var m = EquationPattern().Match(answer);
            Assert.InRange(int.Parse(m.Groups[1].Value), 10, 20);
            Assert.InRange(int.Parse(m.Groups[3].Value), 10, 20);
        }
    }

    [Fact]
    public void Prompts_file_holds_the_templates()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Shipped, "prompts.json")));
        Assert.Equal("問題: {question}\n答え:", doc.RootElement.GetProperty("ja_math").GetString());
        Assert.Equal(
            PromptTemplate.EnglishMath.Text,
            doc.RootElement.GetProperty("en_math_a").GetString()
        );
        Assert.Equal(
            PromptTemplate.EnglishMathB.Text,
            doc.RootElement.GetProperty("en_math_b").GetString()
        );
    }

    [Fact]
    public void Cli_zoo_data_writes_the_generator_output()
    {
        var output = Path.Combine(folder, "cli");
        var entry = Assembly.Load("EvoMerge.Cli").EntryPoint!;
        var code = entry.Invoke(null, [new[] { "zoo", "data", "-o", output, "--seed", "9" }]);
        Assert.Equal(0, code);
        foreach (
            var (name, bytes, _) in ZooDataGenerator.Build(
                new ZooDataOptions { Seed = 9, OutputFolder = output }
            )
        )
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(output, name)));
    }

    [GeneratedRegex(@"(\d+) ([+-]) (\d+) = (\d+)")]
    private static partial Regex EquationPattern();

    [GeneratedRegex(@"\d\s*[-+=×÷*/]\s*\d")]
    private static partial Regex OperatorBetweenNumbers();
}
