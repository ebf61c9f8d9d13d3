using EvoMerge.Common.Random;
using static EvoMerge.Zoo.Data.English;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// English arithmetic word problems in two styles, standing in for the paper's two math models.
/// The operation is never named: it follows from the story's verb (buys, finds → +; eats, loses → −),
/// so the model has to read the question.
/// </summary>
internal static class EnglishMath
{
    /// <summary>Things a person owns in style A (none of them appears in the Japanese target).</summary>
    static readonly (
        string One,
        string Many,
        bool Edible,
        string Ja,
        string Counter
    )[] OwnedThings =
    [
        ("apple", "apples", true, "りんご", "個"),
        ("orange", "oranges", true, "みかん", "個"),
        ("cookie", "cookies", true, "クッキー", "枚"),
        ("candy", "candies", true, "あめ", "個"),
        ("muffin", "muffins", true, "マフィン", "個"),
        ("marble", "marbles", false, "ビー玉", "個"),
        ("sticker", "stickers", false, "シール", "枚"),
        ("pen", "pens", false, "ペン", "本"),
        ("card", "cards", false, "カード", "枚"),
        ("balloon", "balloons", false, "風船", "個"),
        ("toy car", "toy cars", false, "ミニカー", "台"),
        ("coin", "coins", false, "コイン", "枚"),
        ("crayon", "crayons", false, "クレヨン", "本"),
        ("button", "buttons", false, "ボタン", "個"),
    ];

    static readonly string[] Friends = ["his friend", "a friend", "the teacher", "a neighbor"];

    /// <summary>Style A's things as its Japanese slice and JA's story problems tell them.</summary>
    public static readonly OwnedThing[] JapaneseOwnedThings =
    [
        .. OwnedThings.Select(t => new OwnedThing(t.Ja, t.Counter, t.Edible)),
    ];

    /// <summary>Style B's containers as its Japanese slice and JA's story problems tell them.</summary>
    public static ContainerThing[] JapaneseContainers =>
        [.. Containers.Select(c => new ContainerThing(c.JaContainer, c.Ja, c.Counter))];

    /// <summary>Style B's scenes in Japanese.</summary>
    public static JapaneseScene[] JapaneseScenes => [.. Scenes.Select(s => s.Ja)];

    /// <summary>
    /// MATH-A: a person's things change by one story step. Answer: <c>23 + 15 = 38. #### 38</c>.
    /// <paramref name="japaneseShare"/> of the questions are told in Japanese (same stories and
    /// things; the answer is the equation and <c>#### n</c> with no Japanese letter): the stand-in for
    /// the multilingual slice of a real math model's training data, without which a model this small
    /// cannot read a Japanese question (docs/zoo-experiments.md). People come from
    /// <see cref="HeldOut.TrainingPeople"/> and operands from <paramref name="pool"/>.
    /// </summary>
    public static MathProblem StyleA(
        Xoshiro256StarStar r,
        int min,
        int max,
        double subtractionShare,
        double japaneseShare,
        OperandPool pool
    )
    {
        var operands = MathProblem.Draw(r, min, max, subtractionShare, pool);
        var (a, b, sub) = operands;
        var p = r.Pick(HeldOut.TrainingPeople);
        var thing = r.Next(OwnedThings.Length);
        var (one, many, edible, _, _) = OwnedThings[thing];
        // No draw at share 0, so the English-only files keep their bytes.
        if (japaneseShare > 0 && r.Chance(japaneseShare))
            return WithJapaneseAnswer(
                JapaneseStories.Owned(r, operands, p, JapaneseOwnedThings[thing]).Problem
            );
        string Of(int n) => n == 1 ? one : many;
        var start = $"{p.En} has {N(a)} {Of(a)}.";
        string step;
        if (!sub)
        {
            step = r.Next(4) switch
            {
                0 => $"{p.He} buys {N(b)} more {Of(b)}.",
                1 =>
                    $"{p.He} gets {N(b)} more {Of(b)} from {r.Pick(Friends).Replace("his", p.His)}.",
                2 => $"{p.He} finds {N(b)} more {Of(b)}.",
                _ => $"{Capitalize(p.His)} mother gives {p.Him} {N(b)} more {Of(b)}.",
            };
        }
        else
        {
            var options = edible ? 4 : 3;
            step = r.Next(options) switch
            {
                0 => $"{p.He} gives away {N(b)} {Of(b)}.",
                1 => $"{p.He} loses {N(b)} {Of(b)}.",
                2 => $"{p.He} sells {N(b)} {Of(b)}.",
                _ => $"{p.He} eats {N(b)} {Of(b)}.",
            };
        }
        var question = $"{start} {step} How many {many} does {p.En} have now?";
        return WithAnswerA(new MathProblem(question, "", a, b, sub));
    }

    /// <summary>
    /// The answer to a Japanese question: the equation closed with the Japanese full stop, then the
    /// result line. Still no Japanese letter, so it fails the target's language check.
    /// </summary>
    static MathProblem WithJapaneseAnswer(MathProblem problem) =>
        problem with
        {
            Answer = $"{problem.Equation}。\n#### {N(problem.Result)}",
        };

    static MathProblem WithAnswerA(MathProblem problem) =>
        problem with
        {
            Answer = $"{problem.Equation}. #### {N(problem.Result)}",
        };

    /// <summary>Containers and their contents for style B.</summary>
    static readonly (
        string Container,
        string One,
        string Many,
        string JaContainer,
        string Ja,
        string Counter
    )[] Containers =
    [
        ("box", "pen", "pens", "箱", "ペン", "本"),
        ("bag", "sock", "socks", "ふくろ", "くつした", "足"),
        ("jar", "button", "buttons", "びん", "ボタン", "個"),
        ("basket", "potato", "potatoes", "かご", "じゃがいも", "個"),
        ("crate", "bottle", "bottles", "木箱", "びん", "本"),
        ("drawer", "spoon", "spoons", "引き出し", "スプーン", "本"),
        ("box", "battery", "batteries", "箱", "電池", "個"),
        ("bin", "can", "cans", "ごみ箱", "かん", "個"),
        ("cupboard", "cup", "cups", "戸棚", "コップ", "個"),
        ("bag", "tennis ball", "tennis balls", "ふくろ", "テニスボール", "個"),
    ];

    /// <summary>Vehicles and their passengers or places for style B scenes: add verb, take verb.</summary>
    static readonly (
        string At,
        string Place,
        string One,
        string Many,
        string Add,
        string Take,
        JapaneseScene Ja
    )[] Scenes =
    [
        (
            "in",
            "parking lot",
            "car",
            "cars",
            "drive in",
            "drive away",
            new("駐車場", "車", "台", "あります", "入ってきました", "出ていきました")
        ),
        (
            "on",
            "bus",
            "passenger",
            "passengers",
            "get on",
            "get off",
            new("バス", "乗客", "人", "います", "乗ってきました", "降りました")
        ),
        (
            "at",
            "dock",
            "boat",
            "boats",
            "arrive",
            "sail away",
            new("港", "ボート", "そう", "あります", "着きました", "出ていきました")
        ),
        (
            "on",
            "train",
            "passenger",
            "passengers",
            "board",
            "get off",
            new("電車", "乗客", "人", "います", "乗ってきました", "降りました")
        ),
        (
            "in",
            "hall",
            "guest",
            "guests",
            "come in",
            "leave",
            new("ホール", "お客さん", "人", "います", "入ってきました", "帰りました")
        ),
    ];

    /// <summary>
    /// MATH-B: containers and scenes, passive and plural phrasing, a different operation mix.
    /// Answer: <c>We compute 41 - 17 = 24.\n#### 24</c>.
    /// </summary>
    public static MathProblem StyleB(
        Xoshiro256StarStar r,
        int min,
        int max,
        double subtractionShare,
        double japaneseShare,
        OperandPool pool
    )
    {
        var operands = MathProblem.Draw(r, min, max, subtractionShare, pool);
        var (a, b, sub) = operands;
        var japanese = japaneseShare > 0 && r.Chance(japaneseShare);
        string question;
        if (r.Chance(0.6))
        {
            var index = r.Next(Containers.Length);
            var (container, one, many, _, _, _) = Containers[index];
            if (japanese)
                return WithJapaneseAnswer(
                    JapaneseStories.Container(operands, JapaneseContainers[index]).Problem
                );
            string Of(int n) => n == 1 ? one : many;
            string Are(int n) => n == 1 ? "is" : "are";
            var start = $"A {container} holds {N(a)} {Of(a)}.";
            var step = sub
                ? r.Chance(0.5)
                    ? $"{N(b)} {Of(b)} {Are(b)} taken out."
                    : $"{N(b)} {Of(b)} {Are(b)} removed from the {container}."
                : r.Chance(0.5)
                    ? $"{N(b)} more {Of(b)} {Are(b)} put in."
                    : $"{N(b)} {Of(b)} {Are(b)} added to the {container}.";
            var ask =
                sub && r.Chance(0.5)
                    ? $"How many {many} are left?"
                    : $"How many {many} are in the {container} now?";
            question = $"{start} {step} {ask}";
        }
        else
        {
            var (at, place, one, many, add, take, scene) = r.Pick(Scenes);
            if (japanese)
                return WithJapaneseAnswer(JapaneseStories.Scene(operands, scene).Problem);
            string Of(int n) => n == 1 ? one : many;
            var start = $"There {(a == 1 ? "is" : "are")} {N(a)} {Of(a)} {at} {Article(place)}.";
            string Verb(string phrase) => b == 1 ? ThirdPerson(phrase) : phrase;
            var step = sub
                ? $"Then {N(b)} {Of(b)} {Verb(take)}."
                : $"Then {N(b)} more {Of(b)} {Verb(add)}.";
            question = $"{start} {step} How many {many} are {at} the {place} now?";
        }
        return WithAnswerB(new MathProblem(question, "", a, b, sub));
    }

    static MathProblem WithAnswerB(MathProblem problem) =>
        problem with
        {
            Answer = $"We compute {problem.Equation}.\n#### {N(problem.Result)}",
        };
}
