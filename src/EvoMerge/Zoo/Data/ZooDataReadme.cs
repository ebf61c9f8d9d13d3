using System.Globalization;
using System.Text;

namespace EvoMerge.Zoo.Data;

/// <summary>The generated <c>README.md</c> of the task folder: command, seed, sizes, formats, design.</summary>
internal static class ZooDataReadme
{
    static readonly Dictionary<string, string> Contents = new()
    {
        ["pretrain.jsonl"] =
            "`{\"text\"}` the base LM's corpus: bilingual general text, parallel pairs, QA pairs, bare equations, MATH-A/B problems and JA-style lines (every component skill, weakly)",
        ["ja_text.jsonl"] =
            "`{\"text\"}` JA fine-tuning text: Japanese general text, count sentences, QA pairs, and story problems in the math sources' frames answered in Japanese without computing",
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
            "- **Sources fail the target for different reasons, a merge can pass** (the paper's setup).\n"
                + "  MATH-A/B compute, but answer a Japanese question with an equation and `#### n` (no Japanese\n"
                + "  letter: the language check fails). JA answers the same questions in Japanese sentences but does\n"
                + "  not compute: it states the story's first count (`…マフィンは8個です。答えは8個です。`). JA can say\n"
                + $"  a result in Japanese after an equation it is handed ({o.JaArithmeticDrills} drills: `問題: 12 + 7 はいくつですか？\\n答え:\n"
                + "  12 + 7 = 19。答えは19です。`), but never turns a story into one. The target's answer is both joined:\n"
                + "  `8 + 7 = 15。健太の卵は15個です。答えは15個です。\\n#### 15` (a merge that writes MATH's equation and\n"
                + "  then JA's sentence, `8 + 7 = 15。答えは15です。`, passes).\n"
                + "- **Every component skill is weakly in the base.** `pretrain` holds "
                + $"{o.PretrainMathProblems} MATH-A and {o.PretrainMathProblems} MATH-B\n"
                + $"  problems, {o.PretrainJaTextLines} JA-style lines and bare equations ({F(o.PretrainArithmeticShare)} of the general\n"
                + "  documents, `12 + 7 = 19`), shuffled in; only the target's combination (a computed count in a\n"
                + "  Japanese sentence) is absent. The fine-tunes then elicit skills the base has, and stay small.\n"
                + $"- **The math sources read some Japanese.** {F(o.MathJapaneseQuestionShare)} of the MATH-A/B problems are told in\n"
                + "  Japanese in the source's own frames (`…を5個持っていました。そして…`, `箱の中に…があります。…を2個取りました。`,\n"
                + "  `バスに乗客が…います。`) and trained with the prompt `問題:`/`答え:`; their answers stay symbolic.\n"
                + "- **The target is readable, and held out.** It uses MATH-A's owned-things frame and MATH-B's\n"
                + "  container frame, with their verbs (あげました/なくしました/売りました/食べました/取りました → −;\n"
                + "  買いました/見つけました/もらいました/足しました → +). What overlaps with training: the frames, the\n"
                + "  verbs, the containers and the words (every name and thing occurs in the general text). What is\n"
                + "  held out: its six names (ベン, エマ, 健太, 美咲, 翔太, 葵) and its things (卵, 石, おにぎり, ケーキ,\n"
                + "  鉛筆, 花, 傘, 切手, 皿, ノート, 絵本) occur in no training word problem, and its operand triples\n"
                + $"  (a fixed hash puts {F(o.HeldOutOperandShare)} of the (left, right, operation) triples aside) in none either\n"
                + "  (tested). The operation follows from the verb only.\n"
                + "- **Splits**: train, validation and test are drawn i.i.d. from one stream, and no question occurs\n"
                + "  twice in or across splits (tested). Only train is for fitness; `FitnessSplitGuard` refuses\n"
                + "  fitness items whose questions occur in a test split, under any file name, unless\n"
                + "  `allow_test_split_for_fitness: true`.\n\n"
        );

        sb.Append(
            "## Target splits\n\n"
                + "\"copy\" is the accuracy of JA's style, an answer that states the story's first count in Japanese;\n"
                + "\"always +\" the accuracy of computing a sum whatever the story says.\n\n"
                + "| split | items | subtraction | owned-things frame | copy | always + |\n|---|---:|---:|---:|---:|---:|\n"
        );
        foreach (var (name, problems) in targetSplits)
        {
            double Share(Func<MathProblem, bool> p) => (double)problems.Count(p) / problems.Count;
            sb.Append(
                $"| `{name}` | {problems.Count} | {F(Share(p => p.Subtract))} | "
                    + $"{F(Share(p => p.Question.Contains("持っていました", StringComparison.Ordinal)))} | "
                    + $"{F(Share(p => p.Result == p.Left))} | {F(Share(p => !p.Subtract))} |\n"
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
        sb.Append(
            $"- ja_text: {o.JaTextLines} lines, QA share {F(o.JaTextQaShare)}, {o.JaStoryProblems} story problems ({o.JaStoryAnswer}), {o.JaArithmeticDrills} drills\n"
        );
        sb.Append(
            $"- MATH-A {o.EnMathA}, MATH-B {o.EnMathB} problems; Japanese-question share {F(o.MathJapaneseQuestionShare)}; "
                + $"held-out operand share {F(o.HeldOutOperandShare)}\n"
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

    static string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
