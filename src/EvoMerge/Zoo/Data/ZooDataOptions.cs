namespace EvoMerge.Zoo.Data;

/// <summary>What <see cref="ZooDataGenerator"/> writes: seed, sizes, operand range, mixes and folder.</summary>
public sealed record ZooDataOptions
{
    /// <summary>The seed (each file draws from its own stream of it).</summary>
    public ulong Seed { get; init; } = 2024;

    /// <summary>The folder the files go to.</summary>
    public string OutputFolder { get; init; } = Path.Combine("data", "tasks");

    /// <summary>Documents in <c>pretrain.jsonl</c> (bilingual general text, no arithmetic).</summary>
    public int PretrainDocuments { get; init; } = 16000;

    /// <summary>Share of pretraining documents that are Japanese (the rest English, parallel and QA aside).</summary>
    public double PretrainJapaneseShare { get; init; } = 0.5;

    /// <summary>Share of pretraining documents that are an English sentence with its Japanese translation.</summary>
    public double PretrainParallelShare { get; init; } = 0.08;

    /// <summary>Share of pretraining documents that are non-arithmetic question–answer pairs (either language).</summary>
    public double PretrainQaShare { get; init; } = 0.08;

    /// <summary>
    /// Share of pretraining documents that are bare equations (<c>12 + 7 = 19</c>, one per line, no
    /// words): the base can compute, as a real pretrained LM can, so the fine-tunes only have to map
    /// stories to equations and their task vectors stay small enough to merge.
    /// </summary>
    public double PretrainArithmeticShare { get; init; } = 0.1;

    /// <summary>
    /// MATH-A and MATH-B problems each (own streams, training names and operands), rendered with their
    /// prompts and shuffled into <c>pretrain.jsonl</c>: the base holds every component skill weakly, as
    /// a real pretrained LM does, so the fine-tunes only elicit it and their task vectors stay small.
    /// </summary>
    public int PretrainMathProblems { get; init; } = 2000;

    /// <summary>JA-style lines (Japanese text, counts, QA; no story problems) shuffled into <c>pretrain.jsonl</c>.</summary>
    public int PretrainJaTextLines { get; init; } = 3000;

    /// <summary>
    /// Japanese story problems in the math sources' frames in <c>ja_text.jsonl</c>, answered in
    /// Japanese with the story's first count (JA answers math questions in Japanese, without computing).
    /// </summary>
    public int JaStoryProblems { get; init; } = 1000;

    /// <summary>
    /// Bare equations asked and answered in Japanese in <c>ja_text.jsonl</c> (<see cref="JapaneseDrills"/>):
    /// JA says a computed number in Japanese after an equation, but never maps a story to one.
    /// </summary>
    public int JaArithmeticDrills { get; init; } = 1000;

    /// <summary>How JA answers its story problems (<see cref="JaStoryAnswer"/>).</summary>
    public JaStoryAnswer JaStoryAnswer { get; init; } = JaStoryAnswer.FirstCount;

    /// <summary>
    /// Share of operand triples (left, right, operation) held out for the target: no training word
    /// problem uses them, every target problem does (<see cref="OperandPool"/>).
    /// </summary>
    public double HeldOutOperandShare { get; init; } = 0.25;

    /// <summary>Lines in <c>ja_text.jsonl</c> (the JA model's fine-tuning text).</summary>
    public int JaTextLines { get; init; } = 4000;

    /// <summary>Share of <c>ja_text</c> lines that are question–answer pairs (the rest general text and counts).</summary>
    public double JaTextQaShare { get; init; } = 0.5;

    /// <summary>Problems in <c>en_math_a.jsonl</c>.</summary>
    public int EnMathA { get; init; } = 3000;

    /// <summary>Problems in <c>en_math_b.jsonl</c>.</summary>
    public int EnMathB { get; init; } = 3000;

    /// <summary>Target problems for fitness (<c>ja_math_train.jsonl</c>).</summary>
    public int JaMathTrain { get; init; } = 300;

    /// <summary>Target problems for model comparison (<c>ja_math_validation.jsonl</c>).</summary>
    public int JaMathValidation { get; init; } = 100;

    /// <summary>Held-out target problems for the final table (<c>ja_math_test.jsonl</c>).</summary>
    public int JaMathTest { get; init; } = 200;

    /// <summary>The smallest operand.</summary>
    public int OperandMin { get; init; } = 1;

    /// <summary>The largest operand (sums reach twice this; general-text counts go as high).</summary>
    public int OperandMax { get; init; } = 20;

    /// <summary>Share of subtractions in MATH-A.</summary>
    public double EnMathASubtractionShare { get; init; } = 0.4;

    /// <summary>Share of subtractions in MATH-B (a different mix from A).</summary>
    public double EnMathBSubtractionShare { get; init; } = 0.6;

    /// <summary>
    /// Share of MATH-A/B problems whose question is in Japanese (stories and things of the source's
    /// own style, answer in the source's symbolic style, so it still fails the target's language check).
    /// </summary>
    public double MathJapaneseQuestionShare { get; init; } = 0.3;

    /// <summary>Share of subtractions in the target.</summary>
    public double JaMathSubtractionShare { get; init; } = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad option.</summary>
    public void Validate()
    {
        void Count(int value, string name, int min = 1)
        {
            if (value < min)
                throw new ArgumentException($"{name} must be >= {min}, got {value}.");
        }
        void Share(double value, string name)
        {
            if (!(value >= 0 && value <= 1))
                throw new ArgumentException($"{name} must be in [0, 1], got {value}.");
        }
        Count(PretrainDocuments, nameof(PretrainDocuments));
        Count(JaTextLines, nameof(JaTextLines));
        Count(PretrainMathProblems, nameof(PretrainMathProblems), 0);
        Count(PretrainJaTextLines, nameof(PretrainJaTextLines), 0);
        Count(JaStoryProblems, nameof(JaStoryProblems), 0);
        Count(JaArithmeticDrills, nameof(JaArithmeticDrills), 0);
        Count(EnMathA, nameof(EnMathA));
        Count(EnMathB, nameof(EnMathB));
        Count(JaMathTrain, nameof(JaMathTrain));
        Count(JaMathValidation, nameof(JaMathValidation));
        Count(JaMathTest, nameof(JaMathTest));
        Count(OperandMin, nameof(OperandMin), 0);
        if (OperandMax < OperandMin + 1)
            throw new ArgumentException(
                $"OperandMax must be > OperandMin ({OperandMin}), got {OperandMax}."
            );
        Share(PretrainJapaneseShare, nameof(PretrainJapaneseShare));
        Share(PretrainParallelShare, nameof(PretrainParallelShare));
        Share(PretrainQaShare, nameof(PretrainQaShare));
        Share(PretrainArithmeticShare, nameof(PretrainArithmeticShare));
        if (PretrainParallelShare + PretrainQaShare + PretrainArithmeticShare > 1)
            throw new ArgumentException(
                "PretrainParallelShare + PretrainQaShare + PretrainArithmeticShare must be <= 1."
            );
        Share(JaTextQaShare, nameof(JaTextQaShare));
        Share(EnMathASubtractionShare, nameof(EnMathASubtractionShare));
        Share(EnMathBSubtractionShare, nameof(EnMathBSubtractionShare));
        Share(JaMathSubtractionShare, nameof(JaMathSubtractionShare));
        Share(MathJapaneseQuestionShare, nameof(MathJapaneseQuestionShare));
        if (!(HeldOutOperandShare > 0 && HeldOutOperandShare < 1))
            throw new ArgumentException(
                $"HeldOutOperandShare must be in (0, 1), got {HeldOutOperandShare}."
            );
        if (string.IsNullOrWhiteSpace(OutputFolder))
            throw new ArgumentException("OutputFolder must be set.");
    }
}
