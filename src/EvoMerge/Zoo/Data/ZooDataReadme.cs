using System.Globalization;
using System.Text;

namespace EvoMerge.Zoo.Data;

/// <summary>The generated <c>README.md</c> of the task folder: command, seed, sizes, formats, design.</summary>
internal static class ZooDataReadme
{
    static readonly Dictionary<string, string> Contents = new()
    {
        ["pretrain.jsonl"] =
            "`{\"text\"}` bilingual general corpus for the base LM (English, Japanese, a few English+Japanese parallel pairs, a few non-arithmetic QA pairs)",
        ["ja_text.jsonl"] =
            "`{\"text\"}` JA fine-tuning text: Japanese general text, count sentences, and non-arithmetic QA pairs in the target's surface format",
        ["en_math_a.jsonl"] =
            "`{\"question\",\"answer\"}` MATH-A: English word problems, people and their things",
        ["en_math_b.jsonl"] =
            "`{\"question\",\"answer\"}` MATH-B: English word problems, containers and scenes, other worked style",
        ["ja_math_train.jsonl"] = "`{\"question\",\"answer\"}` target, **fitness** split",
        ["ja_math_validation.jsonl"] =
            "`{\"question\",\"answer\"}` target, validation split (compare candidates after a search)",
        ["ja_math_test.jsonl"] =
            "`{\"question\",\"answer\"}` target, **held-out test** split (final table only)",
        ["prompts.json"] = "prompt template per task",
    };

    public static string Render(
        ZooDataOptions o,
        IReadOnlyList<ZooDataFile> files,
        IReadOnlyList<(string Name, byte[] Bytes, int Items)> built,
        IReadOnlyList<(string Name, IReadOnlyList<MathProblem> Problems)> targetSplits
    )
    {
        var sb = new StringBuilder();
        sb.Append("# Task data for the zoo (generated — do not edit)\n\n");
        sb.Append("Written by `ZooDataGenerator` (`src/EvoMerge/Zoo/Data/`) with\n\n```\n");
        sb.Append(
            $"evomerge zoo data -o data/tasks --seed {o.Seed.ToString(CultureInfo.InvariantCulture)}\n```\n\n"
        );
        sb.Append(
            "The same seed and options give the same bytes on every platform: the generator uses its own\n"
                + "xoshiro256** generator seeded through SplitMix64 (one stream per file), its own JSON escaping and\n"
                + "no clock. A test regenerates this folder and compares every byte.\n\n"
        );
        sb.Append(
            "## Files\n\n| file | content | items | bytes | sha256 (first 16) |\n|---|---|---:|---:|---|\n"
        );
        long total = 0;
        foreach (var f in files)
        {
            total += f.Bytes;
            var items = f.Items > 0 ? f.Items.ToString(CultureInfo.InvariantCulture) : "";
            sb.Append(
                $"| `{f.Name}` | {Contents[f.Name]} | {items} | {f.Bytes.ToString(CultureInfo.InvariantCulture)} | `{f.Sha256[..16]}` |\n"
            );
        }
        sb.Append(
            $"\nTotal without this README: {total.ToString(CultureInfo.InvariantCulture)} bytes.\n\n"
        );

        sb.Append("## Prompt templates (`prompts.json`)\n\n");
        foreach (var (task, template) in ZooDataGenerator.Prompts)
            sb.Append(
                $"- `{task}`: `{template.Text.Replace("\n", "\\n", StringComparison.Ordinal)}`\n"
            );
        sb.Append(
            "\nFine-tuning text for a math file is `prompt + \" \" + answer` (`PromptTemplate.RenderWithAnswer`);\n"
                + "`pretrain` and `ja_text` lines are used as they are (their QA pairs already read\n"
                + "`問題: …\\n答え: …` or `Question: …\\nAnswer: …`). The target is scored with the metric\n"
                + "`ja-exact-match`: the last number of the answer (cut at the first stop string `\\n\\n`, `問題:`,\n"
                + "`Question:`, `Q:`) equals the number after `####` **and** more than half of the answer's letters\n"
                + "are Japanese script (`EvoMerge.Evaluation`).\n\n"
        );

        sb.Append("## Design\n\n");
        sb.Append(
            "- **Sources fail the target by construction, a merge can pass.** MATH-A/B answer with an equation\n"
                + "  and `#### n` (no Japanese letters, so the language check fails); the JA model answers in\n"
                + "  Japanese and reads numbers back from the question (`…3個持っています。答えは3個です。`) but never\n"
                + "  saw a computation. The target answer is exactly the two surfaces joined: the equation the math\n"
                + "  models write, then the Japanese sentence that repeats the number just written:\n"
                + "  `12 + 7 = 19。答えは19本です。\\n#### 19`.\n"
                + JapaneseSliceBullet(o)
                + EquationsBullet(o)
                + "- **The operation is implied by the story.** English: buys/gets/finds → +, gives away/loses/sells/eats → −\n"
                + "  (A); put in/added/get on → +, taken out/removed/get off → − (B). Japanese: もらいました/買いました/\n"
                + "  見つけました/入れました/やって来ました → +, あげました/なくしました/使いました/食べました/取り出しました/\n"
                + "  飛んでいきました → −. "
                + $"{F(o.JaMathNeutralQuestionShare)} of the target questions ask \"how many now\" without a hint word\n"
                + "  (全部で, 残って), so the verb must be read.\n"
                + "- **Target templates are disjoint from the English ones**: other things (pencils, stamps, rice\n"
                + "  balls, goldfish, birds …), other stories (owned things, containers, animals at a place) and\n"
                + "  Japanese verbs; none is a translation of an English template"
                + (
                    o.MathJapaneseQuestionShare > 0
                        ? ", and none of the target's\n"
                            + "  things or sentence frames occurs in the math sources' Japanese slice (common verbs such as\n"
                            + "  もらいました/食べました do: they are the language, not the task).\n"
                        : ".\n"
                )
                + "- **Splits**: train, validation and test are drawn i.i.d. from the same templates (same\n"
                + "  distribution; disjoint templates between splits were not required) from one stream, and no\n"
                + "  question occurs twice in or across splits (tested). Only train is for fitness;\n"
                + "  `FitnessSplitGuard` refuses a test split unless `allowTestSplitForFitness: true`.\n\n"
        );

        sb.Append(
            "## Target splits\n\n"
                + "\"copy\" is the accuracy of an answer that repeats the question's last number in Japanese (what a\n"
                + "model that reads numbers back but cannot compute would score); \"always +\" the accuracy of\n"
                + "computing a sum whatever the story says (before the language check, which fails English answers).\n\n"
                + "| split | items | subtraction | neutral question | copy | always + |\n|---|---:|---:|---:|---:|---:|\n"
        );
        foreach (var (name, problems) in targetSplits)
        {
            double Share(Func<MathProblem, bool> p) => (double)problems.Count(p) / problems.Count;
            sb.Append(
                $"| `{name}` | {problems.Count} | {F(Share(p => p.Subtract))} | "
                    + $"{F(Share(p => p.Question.Contains("今、", StringComparison.Ordinal)))} | "
                    + $"{F(Share(p => p.Result == p.Right))} | {F(Share(p => !p.Subtract))} |\n"
            );
        }
        sb.Append('\n');

        sb.Append("## Options used\n\n");
        sb.Append(
            $"- seed {o.Seed.ToString(CultureInfo.InvariantCulture)}; operands {o.OperandMin}–{o.OperandMax} "
                + "(subtraction: right ≤ left, so results ≥ 0; counts in general text up to "
                + $"{2 * o.OperandMax})\n"
        );
        sb.Append(
            $"- subtraction share: MATH-A {F(o.EnMathASubtractionShare)}, MATH-B {F(o.EnMathBSubtractionShare)}, target {F(o.JaMathSubtractionShare)}\n"
        );
        sb.Append(
            $"- pretrain: {o.PretrainDocuments} documents, Japanese share {F(o.PretrainJapaneseShare)}, "
                + $"parallel share {F(o.PretrainParallelShare)}, QA share {F(o.PretrainQaShare)}"
                + (
                    o.PretrainArithmeticShare > 0
                        ? $", equation share {F(o.PretrainArithmeticShare)}\n"
                        : "\n"
                )
        );
        sb.Append($"- ja_text: {o.JaTextLines} lines, QA share {F(o.JaTextQaShare)}\n");
        if (o.MathJapaneseQuestionShare > 0)
            sb.Append(
                $"- MATH-A {o.EnMathA}, MATH-B {o.EnMathB} problems; Japanese-question share {F(o.MathJapaneseQuestionShare)}\n"
            );
        sb.Append(
            $"- target: train {o.JaMathTrain}, validation {o.JaMathValidation}, test {o.JaMathTest}\n\n"
        );

        sb.Append("## First line of each file\n\n");
        foreach (var (name, bytes, items) in built)
        {
            if (items == 0)
                continue;
            var text = Encoding.UTF8.GetString(bytes);
            sb.Append($"`{name}`:\n```json\n{text[..text.IndexOf('\n')]}\n```\n");
        }
        return sb.ToString();
    }

    static string JapaneseSliceBullet(ZooDataOptions o) =>
        o.MathJapaneseQuestionShare <= 0
            ? ""
            : $"- **The math sources read some Japanese.** {F(o.MathJapaneseQuestionShare)} of the MATH-A/B problems\n"
                + "  are told in Japanese and trained with the Japanese prompt words (`問題:`/`答え:`), the stand-in for\n"
                + "  the multilingual slice of a real math model's data (the paper's math models were not blind to\n"
                + "  Japanese questions; they answered in English). Their stories, things and sentence frames are\n"
                + "  the source's own (`…を5個持っていました。そして…`, `箱の中に…があります。…を2個取りました。`), none\n"
                + "  of the target's things occurs in them (tested), and their answers keep the source's symbolic\n"
                + "  style. Without this slice the first zoo's math models could not read a Japanese question at all.\n";

    static string EquationsBullet(ZooDataOptions o) =>
        o.PretrainArithmeticShare <= 0
            ? "- **No arithmetic outside the math files.** `pretrain` and `ja_text` hold counts and clock hours\n"
                + "  but no `+`, `=`, `####`, sum or difference (tested).\n"
            : "- **The base computes; only the math models read stories.** "
                + $"{F(o.PretrainArithmeticShare)} of the `pretrain`\n"
                + "  documents are bare equations, one per line (`12 + 7 = 19`), as a real pretrained LM has seen\n"
                + "  arithmetic; no word problem, worked answer or `####` occurs outside the math files, and\n"
                + "  `ja_text` holds no `+`, `=`, sum or difference at all (tested). This keeps the fine-tunes\n"
                + "  small: they learn to turn a story into an equation, not arithmetic from scratch, so their\n"
                + "  task vectors can be merged (the first zoo, without it, gave task vectors of 26–42 % of the\n"
                + "  base's norm and every merge broke both skills).\n";

    static string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
