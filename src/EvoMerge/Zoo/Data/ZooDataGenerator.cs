using System.Security.Cryptography;
using System.Text;
using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evaluation;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// Generates the zoo's task data deterministically: the bilingual pretraining corpus, the JA
/// fine-tuning text, two English arithmetic styles (MATH-A, MATH-B) and the Japanese arithmetic
/// target in train/validation/test splits, plus <c>prompts.json</c> and a README stating sizes.
/// </summary>
public static class ZooDataGenerator
{
    /// <summary>The JSONL files, in the order they are generated and listed.</summary>
    public static readonly IReadOnlyList<string> DataFiles =
    [
        "pretrain.jsonl",
        "ja_text.jsonl",
        "en_math_a.jsonl",
        "en_math_b.jsonl",
        "ja_math_train.jsonl",
        "ja_math_validation.jsonl",
        "ja_math_test.jsonl",
    ];

    /// <summary>The prompt templates by task, as written to <c>prompts.json</c>.</summary>
    public static readonly IReadOnlyList<(string Task, PromptTemplate Template)> Prompts =
    [
        ("ja_math", PromptTemplate.JapaneseMath),
        ("en_math_a", PromptTemplate.EnglishMath),
        ("en_math_b", PromptTemplate.EnglishMathB),
    ];

    /// <summary>
    /// Builds every file in memory, then writes each atomically (temporary file and rename) into
    /// <see cref="ZooDataOptions.OutputFolder"/>; a failure while building writes nothing.
    /// </summary>
    public static ZooDataReport Generate(ZooDataOptions options)
    {
        var built = Build(options);
        foreach (var (name, bytes, _) in built)
            AtomicFile.WriteAllBytes(Path.Combine(options.OutputFolder, name), bytes);
        return new ZooDataReport(
            options.OutputFolder,
            options,
            new ValueArray<ZooDataFile>(
                built.Select(f => new ZooDataFile(f.Name, f.Items, f.Bytes.Length, Sha256(f.Bytes)))
            )
        );
    }

    /// <summary>Every file's name, bytes and item count, without touching the disk.</summary>
    internal static IReadOnlyList<(string Name, byte[] Bytes, int Items)> Build(
        ZooDataOptions options
    )
    {
        options.Validate();
        var files = new List<(string Name, byte[] Bytes, int Items)>();
        void Add(string name, StringBuilder sb, int items) =>
            files.Add((name, Encoding.UTF8.GetBytes(sb.ToString()), items));

        Add(
            "pretrain.jsonl",
            Pretrain(options),
            options.PretrainDocuments
                + 2 * options.PretrainMathProblems
                + options.PretrainJaTextLines
        );
        Add(
            "ja_text.jsonl",
            JaText(options),
            options.JaTextLines + options.JaStoryProblems + options.JaArithmeticDrills
        );

        var training = new OperandPool(options.HeldOutOperandShare, HeldOut: false);
        var a = Xoshiro256StarStar.ForStream(options.Seed, "en_math_a");
        Add(
            "en_math_a.jsonl",
            Problems(
                Unique(
                    options.EnMathA,
                    () =>
                        EnglishMath.StyleA(
                            a,
                            options.OperandMin,
                            options.OperandMax,
                            options.EnMathASubtractionShare,
                            options.MathJapaneseQuestionShare,
                            training
                        ),
                    [],
                    "en_math_a"
                )
            ),
            options.EnMathA
        );
        var b = Xoshiro256StarStar.ForStream(options.Seed, "en_math_b");
        Add(
            "en_math_b.jsonl",
            Problems(
                Unique(
                    options.EnMathB,
                    () =>
                        EnglishMath.StyleB(
                            b,
                            options.OperandMin,
                            options.OperandMax,
                            options.EnMathBSubtractionShare,
                            options.MathJapaneseQuestionShare,
                            training
                        ),
                    [],
                    "en_math_b"
                )
            ),
            options.EnMathB
        );

        // One stream and one set of seen questions for all three target splits: the items are
        // drawn i.i.d. from the same templates, so the splits share a distribution but never a question.
        var j = Xoshiro256StarStar.ForStream(options.Seed, "ja_math");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var splits = new List<(string Name, IReadOnlyList<MathProblem> Problems)>();
        var heldOut = training with { HeldOut = true };
        MathProblem NextTarget() =>
            JapaneseMath.Next(
                j,
                options.OperandMin,
                options.OperandMax,
                options.JaMathSubtractionShare,
                heldOut
            );
        foreach (
            var (name, count) in new[]
            {
                ("ja_math_train.jsonl", options.JaMathTrain),
                ("ja_math_validation.jsonl", options.JaMathValidation),
                ("ja_math_test.jsonl", options.JaMathTest),
            }
        )
        {
            var problems = Unique(count, NextTarget, seen, "ja_math");
            splits.Add((name, problems));
            Add(name, Problems(problems), count);
        }

        Add("prompts.json", PromptsJson(), 0);
        var listed = files
            .Select(f => new ZooDataFile(f.Name, f.Items, f.Bytes.Length, Sha256(f.Bytes)))
            .ToList();
        Add(
            "README.md",
            new StringBuilder(ZooDataReadme.Render(options, listed, files, splits)),
            0
        );
        return files;
    }

    /// <summary>
    /// The general documents, then the math problems and JA-style lines of the base's weak skills
    /// (each from its own stream), shuffled together by a stream of their own.
    /// </summary>
    static StringBuilder Pretrain(ZooDataOptions o)
    {
        var texts = GeneralDocuments(o);
        var pool = new OperandPool(o.HeldOutOperandShare, HeldOut: false);
        var a = Xoshiro256StarStar.ForStream(o.Seed, "pretrain_math_a");
        var b = Xoshiro256StarStar.ForStream(o.Seed, "pretrain_math_b");
        for (var i = 0; i < o.PretrainMathProblems; i++)
        {
            var pa = EnglishMath.StyleA(
                a,
                o.OperandMin,
                o.OperandMax,
                o.EnMathASubtractionShare,
                o.MathJapaneseQuestionShare,
                pool
            );
            texts.Add(Rendered(pa, PromptTemplate.EnglishMath));
            var pb = EnglishMath.StyleB(
                b,
                o.OperandMin,
                o.OperandMax,
                o.EnMathBSubtractionShare,
                o.MathJapaneseQuestionShare,
                pool
            );
            texts.Add(Rendered(pb, PromptTemplate.EnglishMathB));
        }
        texts.AddRange(JaLines(o, "pretrain_ja_text", o.PretrainJaTextLines, 0));
        Xoshiro256StarStar.ForStream(o.Seed, "pretrain_order").Shuffle(texts);
        var sb = new StringBuilder();
        foreach (var text in texts)
            JsonLines.AppendObject(sb, ("text", text));
        return sb;
    }

    /// <summary>A math problem as fine-tuning text: Japanese questions take the target's prompt words.</summary>
    static string Rendered(MathProblem p, PromptTemplate own) =>
        (
            JapaneseScript.ContainsJapanese(p.Question) ? PromptTemplate.JapaneseMath : own
        ).RenderWithAnswer(p.Question, p.Answer);

    /// <summary>Fisher–Yates.</summary>
    static List<string> GeneralDocuments(ZooDataOptions o)
    {
        var r = Xoshiro256StarStar.ForStream(o.Seed, "pretrain");
        var maxCount = 2 * o.OperandMax;
        var texts = new List<string>(o.PretrainDocuments);
        for (var i = 0; i < o.PretrainDocuments; i++)
        {
            var kind = r.NextDouble();
            var japanese = r.Chance(o.PretrainJapaneseShare);
            string text;
            if (kind < o.PretrainParallelShare)
            {
                var pairs = Enumerable
                    .Range(0, r.Between(1, 2))
                    .Select(_ => GeneralSentences.Next(r, maxCount))
                    .Select(s => s.En + "\n" + s.Ja);
                text = string.Join("\n", pairs);
            }
            else if (kind < o.PretrainParallelShare + o.PretrainQaShare)
            {
                var (q, a) = QaPairs.Next(r, maxCount);
                text = japanese
                    ? $"問題: {q.Ja}\n答え: {a.Ja}"
                    : $"Question: {q.En}\nAnswer: {a.En}";
            }
            else if (kind < o.PretrainParallelShare + o.PretrainQaShare + o.PretrainArithmeticShare)
                text = string.Join(
                    "\n",
                    Enumerable
                        .Range(0, r.Between(2, 6))
                        .Select(_ =>
                        {
                            var (left, right, sub) = MathProblem.Draw(
                                r,
                                o.OperandMin,
                                o.OperandMax,
                                0.5
                            );
                            return new MathProblem("", "", left, right, sub).Equation;
                        })
                );
            else
                text = Document(
                    r,
                    japanese,
                    r.Between(2, 5),
                    () => GeneralSentences.Next(r, maxCount)
                );
            texts.Add(text);
        }
        return texts;
    }

    /// <summary>JA's fine-tuning text: Japanese lines and story problems answered without computing, shuffled.</summary>
    static StringBuilder JaText(ZooDataOptions o)
    {
        var sb = new StringBuilder();
        foreach (var text in JaLines(o, "ja_text", o.JaTextLines, o.JaStoryProblems))
            JsonLines.AppendObject(sb, ("text", text));
        return sb;
    }

    static List<string> JaLines(ZooDataOptions o, string stream, int lines, int storyProblems)
    {
        var r = Xoshiro256StarStar.ForStream(o.Seed, stream);
        var maxCount = 2 * o.OperandMax;
        var texts = new List<string>(lines + storyProblems);
        for (var i = 0; i < lines; i++)
        {
            string text;
            if (r.Chance(o.JaTextQaShare))
            {
                var (q, a) = QaPairs.Next(r, maxCount);
                text = $"問題: {q.Ja}\n答え: {a.Ja}";
            }
            else if (r.Chance(0.5))
                text = Document(r, true, r.Between(2, 4), () => GeneralSentences.Next(r, maxCount));
            else
                text = Document(
                    r,
                    true,
                    r.Between(2, 3),
                    () => GeneralSentences.Count(r, maxCount)
                );
            texts.Add(text);
        }
        if (storyProblems == 0)
            return texts;
        var drills = Xoshiro256StarStar.ForStream(o.Seed, stream + "_drills");
        var stories = Xoshiro256StarStar.ForStream(o.Seed, stream + "_stories");
        var pool = new OperandPool(o.HeldOutOperandShare, HeldOut: false);
        for (var i = 0; i < storyProblems; i++)
            texts.Add(
                JapaneseMath.TalkingStory(
                    stories,
                    o.OperandMin,
                    o.OperandMax,
                    pool,
                    o.JaStoryAnswer
                )
            );
        for (var i = 0; i < o.JaArithmeticDrills; i++)
            texts.Add(JapaneseDrills.Next(drills, o.OperandMin, o.OperandMax, pool));
        Xoshiro256StarStar.ForStream(o.Seed, stream + "_order").Shuffle(texts);
        return texts;
    }

    /// <summary>Sentences in one language: English joined by spaces, Japanese without.</summary>
    static string Document(Xoshiro256StarStar r, bool japanese, int sentences, Func<Bilingual> next)
    {
        // No sentence twice in a row (a few tries; the vocabulary makes a repeat rare).
        var parts = new List<Bilingual>(sentences);
        while (parts.Count < sentences)
        {
            var sentence = next();
            for (var tries = 0; parts.Count > 0 && sentence == parts[^1] && tries < 10; tries++)
                sentence = next();
            parts.Add(sentence);
        }
        return japanese
            ? string.Concat(parts.Select(p => p.Ja))
            : string.Join(" ", parts.Select(p => p.En));
    }

    static List<MathProblem> Unique(
        int count,
        Func<MathProblem> next,
        HashSet<string> seen,
        string what
    )
    {
        // Give up after many draws in a row that only repeat questions: the templates and operand
        // range cannot supply that many distinct questions.
        var result = new List<MathProblem>(count);
        var misses = 0;
        while (result.Count < count)
        {
            var p = next();
            if (seen.Add(p.Question))
            {
                result.Add(p);
                misses = 0;
            }
            else if (++misses > 1000 + count)
                throw new ArgumentException(
                    $"Could not draw {count} distinct {what} problems (got {result.Count}): the operand range is too small for the sizes asked."
                );
        }
        return result;
    }

    static StringBuilder Problems(IEnumerable<MathProblem> problems)
    {
        var sb = new StringBuilder();
        foreach (var p in problems)
            JsonLines.AppendObject(sb, ("question", p.Question), ("answer", p.Answer));
        return sb;
    }

    static StringBuilder PromptsJson()
    {
        var sb = new StringBuilder("{\n");
        for (var i = 0; i < Prompts.Count; i++)
        {
            sb.Append("  ");
            JsonLines.AppendString(sb, Prompts[i].Task);
            sb.Append(": ");
            JsonLines.AppendString(sb, Prompts[i].Template.Text);
            sb.Append(i + 1 < Prompts.Count ? ",\n" : "\n");
        }
        return sb.Append("}\n");
    }

    internal static string Sha256(byte[] bytes) =>
        Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
