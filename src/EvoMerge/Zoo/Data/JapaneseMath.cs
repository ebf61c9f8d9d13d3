using EvoMerge.Common.Random;
using static EvoMerge.Zoo.Data.English;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// The target task: Japanese word problems answered in Japanese. The stories are the math sources'
/// own Japanese frames (their verbs and sentence shapes, so a source can read them) told with
/// held-out names, things and operand triples (<see cref="HeldOut"/>, <see cref="OperandPool"/>),
/// so no target question, name-thing pair or number triple occurs in any training word problem. The
/// answer is the equation the math models write, then the Japanese sentence JA writes, with the
/// computed count: <c>8 + 7 = 15。健太の卵は15個です。答えは15個です。\n#### 15</c>.
/// </summary>
internal static class JapaneseMath
{
    /// <summary>One problem: half MATH-A's frame (a person's things), half MATH-B's container frame.</summary>
    public static MathProblem Next(
        Xoshiro256StarStar r,
        int min,
        int max,
        double subtractionShare,
        OperandPool pool
    )
    {
        var operands = MathProblem.Draw(r, min, max, subtractionShare, pool);
        var story = r.Chance(0.5)
            ? JapaneseStories.Owned(
                r,
                operands,
                r.Pick(HeldOut.People),
                r.Pick(HeldOut.OwnedThings)
            )
            : JapaneseStories.Container(operands, r.Pick(HeldOut.ContainerThings));
        var problem = story.Problem;
        var result = problem.Result;
        return problem with
        {
            Answer = $"{problem.Equation}。{story.Talk(result)}\n#### {N(result)}",
        };
    }

    /// <summary>
    /// One of JA's story problems: a source's frame, things and people (never the target's), answered
    /// in JA's style with the story's first count, not the result: a Japanese model that talks about
    /// the numbers of a math question but cannot compute (as the paper's JA model answers 9.6 %).
    /// </summary>
    public static string TalkingStory(
        Xoshiro256StarStar r,
        int min,
        int max,
        OperandPool pool,
        JaStoryAnswer style
    )
    {
        var operands = MathProblem.Draw(r, min, max, 0.5, pool);
        var story = r.Next(10) switch
        {
            < 4 => JapaneseStories.Owned(
                r,
                operands,
                r.Pick(HeldOut.TrainingPeople),
                r.Pick(EnglishMath.JapaneseOwnedThings)
            ),
            < 7 => JapaneseStories.Container(operands, r.Pick(EnglishMath.JapaneseContainers)),
            _ => JapaneseStories.Scene(operands, r.Pick(EnglishMath.JapaneseScenes)),
        };
        var answer = style switch
        {
            JaStoryAnswer.FirstCount => story.Talk(operands.Left),
            JaStoryAnswer.NumbersThenLast =>
                $"{N(operands.Left)}、{N(operands.Right)}。{story.Talk(operands.Right)}",
            _ =>
                $"{N(operands.Left)} {(operands.Subtract ? "-" : "+")} {N(operands.Right)} = {N(operands.Left)}。{story.Talk(operands.Left)}",
        };
        return $"問題: {story.Problem.Question}\n答え: {answer}";
    }
}

internal static class JapaneseDrills
{
    /// <summary>
    /// A bare sum or difference asked and answered in Japanese, <c>問題: 12 + 7 はいくつですか？\n答え:
    /// 12 + 7 = 19。答えは19です。</c>: JA writes an equation it is given, then says the result in a
    /// sentence. No story, so JA still cannot turn a word problem into an equation.
    /// </summary>
    public static string Next(Xoshiro256StarStar r, int min, int max, OperandPool pool)
    {
        var (a, b, sub) = MathProblem.Draw(r, min, max, 0.5, pool);
        var p = new MathProblem("", "", a, b, sub);
        return $"問題: {N(a)} {(sub ? "-" : "+")} {N(b)} はいくつですか？\n答え: {p.Equation}。答えは{N(p.Result)}です。";
    }
}

/// <summary>How JA answers its story problems (never with the result).</summary>
public enum JaStoryAnswer
{
    /// <summary>The story's first count in a sentence: <c>ベンの花は13本です。答えは13本です。</c></summary>
    FirstCount,

    /// <summary>
    /// The story's numbers, then a sentence that repeats the last number written:
    /// <c>13、10。ベンの花は10本です。答えは10本です。</c> (JA restates what precedes it, so a merge
    /// that writes MATH's equation first has JA's sentence repeat the result).
    /// </summary>
    NumbersThenLast,

    /// <summary>
    /// An equation whose result JA gets wrong (it writes the first count), then the sentence that
    /// repeats it: <c>13 - 10 = 13。ベンの花は13本です。答えは13本です。</c> (JA answers in Japanese but
    /// computes poorly, as the paper's JA model does).
    /// </summary>
    WrongEquation,
}
