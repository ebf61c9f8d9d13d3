using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvoMerge.Evaluation;
using EvoMerge.Models;
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
        AssertAnswersMatchStories(Path.Combine(Shipped, file), new ZooDataOptions().OperandMax);

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

    /// <summary>
    /// JA computes only what it is handed: its arithmetic is the drills (a bare equation asked and
    /// answered in Japanese, right), every other line (story problems included) holds none.
    /// </summary>
    [Fact]
    public void Ja_text_arithmetic_is_only_bare_drills()
    {
        var texts = Texts(Path.Combine(Shipped, "ja_text.jsonl")).ToList();
        var drills = 0;
        foreach (var text in texts)
        {
            var m = Drill().Match(text);
            if (!m.Success)
            {
                AssertNoArithmetic(text);
                continue;
            }
            drills++;
            AssertRightEquation(EquationPattern().Match(text), text);
            Assert.Equal(m.Groups[4].Value, m.Groups[5].Value);
        }
        Assert.Equal(new ZooDataOptions().JaArithmeticDrills, drills);
    }

    [GeneratedRegex(
        @"^問題: (\d+) ([+-]) (\d+) はいくつですか？\n答え: \1 \2 \3 = (\d+)。答えは(\d+)です。$"
    )]
    private static partial Regex Drill();

    /// <summary>The <c>text</c> of every line of a <c>{"text"}</c> JSONL file.</summary>
    static IEnumerable<string> Texts(string path) =>
        File.ReadLines(path)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!);

    /// <summary>
    /// Every pretraining document is general text with no arithmetic, a block of bare and right
    /// equations (one per line), or a math source's problem with its prompt and worked answer; each
    /// kind comes in the share the options ask for.
    /// </summary>
    [Fact]
    public void Pretraining_holds_general_text_bare_equations_and_math_problems()
    {
        var o = new ZooDataOptions();
        var texts = Texts(Path.Combine(Shipped, "pretrain.jsonl")).ToList();
        Assert.Equal(
            o.PretrainDocuments + 2 * o.PretrainMathProblems + o.PretrainJaTextLines,
            texts.Count
        );
        int equationDocuments = 0,
            problems = 0;
        foreach (var text in texts)
        {
            if (text.Contains("####", StringComparison.Ordinal))
            {
                problems++;
                AssertRightEquation(EquationPattern().Match(text), text);
                Assert.Matches("^(Question: |Q: |問題: )", text);
            }
            else if (!text.Contains('='))
                AssertNoArithmetic(text);
            else
            {
                equationDocuments++;
                foreach (var equation in text.Split('\n'))
                {
                    var m = EquationPattern().Match(equation);
                    Assert.True(
                        m.Success && m.Length == equation.Length,
                        $"pretrain: not a bare equation: \"{equation}\""
                    );
                    AssertRightEquation(m, equation);
                }
            }
        }
        Assert.Equal(2 * o.PretrainMathProblems, problems);
        // 16,000 draws at 0.1: σ ≈ 0.0024.
        Assert.InRange((double)equationDocuments / o.PretrainDocuments, 0.09, 0.11);
    }

    static void AssertRightEquation(Match m, string text)
    {
        Assert.True(m.Success, text);
        int a = int.Parse(m.Groups[1].Value),
            b = int.Parse(m.Groups[3].Value);
        Assert.Equal(m.Groups[2].Value == "-" ? a - b : a + b, int.Parse(m.Groups[4].Value));
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

    /// <summary>
    /// The target's names, things and operand triples occur in no training word problem (MATH-A/B with
    /// their Japanese slices, JA's story problems, the pretraining problems), while its frames and
    /// verbs are the sources' own.
    /// </summary>
    [Fact]
    public void Target_names_things_and_numbers_are_held_out_from_every_training_problem()
    {
        var share = new ZooDataOptions().HeldOutOperandShare;
        var training = new[] { "en_math_a.jsonl", "en_math_b.jsonl" }
            .SelectMany(f => TaskSetLoader.Load(Path.Combine(Shipped, f)).Items)
            .Select(i => i.Question + "\n" + i.Answer)
            .Concat(
                Texts(Path.Combine(Shipped, "pretrain.jsonl"))
                    .Concat(Texts(Path.Combine(Shipped, "ja_text.jsonl")))
                    .Where(t =>
                        t.Contains("いくつ", StringComparison.Ordinal) || t.Contains("####")
                    )
            )
            .ToList();
        Assert.True(training.Count > 10000, $"{training.Count} training problems");
        var names = HeldOut.People.SelectMany(p => new[] { p.Ja, p.En }).ToList();
        var things = HeldOut
            .OwnedThings.Select(t => t.Ja)
            .Concat(HeldOut.ContainerThings.Select(t => t.Ja))
            .Distinct()
            .ToList();
        bool Names(string text, string thing) =>
            text.Contains(thing + "を", StringComparison.Ordinal)
            || text.Contains(thing + "が", StringComparison.Ordinal);
        foreach (var text in training)
        {
            Assert.DoesNotContain(names, n => Regex.IsMatch(text, $@"(^|\s|。){n}(は|の|\s)"));
            // As the object or subject of a sentence ("花子" is a name, not the thing "花").
            Assert.DoesNotContain(things, t => Names(text, t));
            var (a, b, subtract) = Operands(text);
            Assert.False(OperandPool.IsHeldOut(a, b, subtract, share), text);
        }
        foreach (
            var item in new[] { "train", "validation", "test" }.SelectMany(s =>
                TaskSetLoader.Load(Path.Combine(Shipped, $"ja_math_{s}.jsonl")).Items
            )
        )
        {
            var (a, b, subtract) = Operands(item.Question + "\n" + item.Answer);
            Assert.True(OperandPool.IsHeldOut(a, b, subtract, share), item.Answer);
            Assert.Contains(things, t => Names(item.Question, t));
            // A source's frame: MATH-A's owned things (told of a held-out person) or MATH-B's container.
            Assert.Matches(
                "^((ベン|エマ|健太|美咲|翔太|葵)は.*持っていました。そして.*はいくつですか？|.*の中に.*あります。.*中に.*はいくつありますか？)$",
                item.Question
            );
        }
    }

    /// <summary>
    /// A training problem's operands and operation: from its worked equation, or for a JA story
    /// (answered without one) from the story's two numbers and its verb.
    /// </summary>
    static (int A, int B, bool Subtract) Operands(string text)
    {
        var m = EquationPattern().Match(text);
        if (m.Success)
            return (
                int.Parse(m.Groups[1].Value),
                int.Parse(m.Groups[3].Value),
                m.Groups[2].Value == "-"
            );
        var numbers = Numbers.ExtractAll(text);
        return (
            int.Parse(numbers[0]),
            int.Parse(numbers[1]),
            SubtractionWords.Any(w => Regex.IsMatch(text, w))
        );
    }

    /// <summary>
    /// JA's story problems: a source's Japanese question answered in Japanese with the story's first
    /// count, never the result and never an equation (JA talks about numbers but does not compute).
    /// </summary>
    [Fact]
    public void Ja_story_problems_state_the_first_count_without_computing()
    {
        var stories = Texts(Path.Combine(Shipped, "ja_text.jsonl"))
            .Where(t => t.Contains("いくつ", StringComparison.Ordinal) && !Drill().IsMatch(t))
            .ToList();
        Assert.Equal(new ZooDataOptions().JaStoryProblems, stories.Count);
        foreach (var story in stories)
        {
            var parts = story.Split("\n答え: ");
            Assert.Equal(2, parts.Length);
            var first = Numbers.ExtractAll(parts[0])[0];
            Assert.Equal([first, first], Numbers.ExtractAll(parts[1]));
            Assert.EndsWith("です。", parts[1]);
            Assert.True(JapaneseScript.IsJapanese(parts[1]), parts[1]);
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
                GenerationOptions.Answer
            );
            Assert.Equal(1.0, asGold.Score);
            var mathStyle = Evaluator.Score(
                0,
                item,
                prompt,
                $" {EquationPattern().Match(item.Answer).Value}. #### {item.GoldNumber}",
                metric,
                GenerationOptions.Answer
            );
            Assert.Equal((true, 0.0), (mathStyle.Correct, mathStyle.Score));
        }
        // JA's style, a Japanese answer that states the story's first count, never hits (b ≥ 1).
        var copies = train.Items.Select(item =>
            Evaluator
                .Score(
                    0,
                    item,
                    "",
                    $" 答えは{Numbers.ExtractAll(item.Question)[0]}個です。",
                    metric,
                    GenerationOptions.Answer
                )
                .Score
        );
        Assert.Equal(0.0, copies.Average());
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
