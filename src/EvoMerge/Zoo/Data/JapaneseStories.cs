using EvoMerge.Common.Random;
using static EvoMerge.Zoo.Data.English;

namespace EvoMerge.Zoo.Data;

/// <summary>A thing a person owns in a Japanese story: word, counter, and whether it can be eaten.</summary>
internal sealed record OwnedThing(string Ja, string Counter, bool Edible);

/// <summary>A container and a thing inside it: container, thing, counter.</summary>
internal sealed record ContainerThing(string Container, string Ja, string Counter);

/// <summary>A scene: place, who is there, counter, "there is" verb, arrival verb, departure verb.</summary>
internal sealed record JapaneseScene(
    string Place,
    string Who,
    string Counter,
    string Exist,
    string Add,
    string Take
);

/// <summary>
/// A Japanese story with its arithmetic: the question, and <see cref="Restate"/>, the sentence that
/// states a count of the story's subject (<c>マックスのマフィンは15個です。</c>).
/// </summary>
internal sealed record JapaneseStory(
    MathProblem Problem,
    string Counter,
    string Subject,
    string Verb
)
{
    /// <summary>The sentence that says how many there are: subject, number, counter, verb.</summary>
    public string Restate(int n) => $"{Subject}{N(n)}{Counter}{Verb}。";

    /// <summary>The JA model's style: the count in a sentence, then <c>答えは…です。</c>.</summary>
    public string Talk(int n) => $"{Restate(n)}答えは{N(n)}{Counter}です。";
}

/// <summary>
/// The three Japanese story frames of the math sources (MATH-A: a person's things; MATH-B: a
/// container, a scene). The math sources see them with their own things, JA sees them answered in
/// Japanese without computing, and the target tells them with held-out names and things. The
/// operation follows from the verb, never from a word such as 全部で.
/// </summary>
internal static class JapaneseStories
{
    /// <summary>MATH-A's frame: <c>…は…を5個持っていました。そして…を2個なくしました。…の…はいくつですか？</c></summary>
    public static JapaneseStory Owned(
        Xoshiro256StarStar r,
        (int A, int B, bool Sub) operands,
        Person p,
        OwnedThing thing
    )
    {
        var (a, b, sub) = operands;
        var (ja, c, edible) = thing;
        var start = $"{p.Ja}は{ja}を{N(a)}{c}持っていました。そして";
        var step = sub
            ? r.Next(edible ? 4 : 3) switch
            {
                0 => $"{ja}を{N(b)}{c}人にあげました。",
                1 => $"{ja}を{N(b)}{c}なくしました。",
                2 => $"{ja}を{N(b)}{c}売りました。",
                _ => $"{ja}を{N(b)}{c}食べました。",
            }
            : r.Next(3) switch
            {
                0 => $"{ja}をさらに{N(b)}{c}買いました。",
                1 => $"{ja}をさらに{N(b)}{c}見つけました。",
                _ => $"{ja}をさらに{N(b)}{c}もらいました。",
            };
        return new JapaneseStory(
            new MathProblem($"{start}{step}{p.Ja}の{ja}はいくつですか？", "", a, b, sub),
            c,
            $"{p.Ja}の{ja}は",
            "です"
        );
    }

    /// <summary>MATH-B's container frame: <c>箱の中に…が5本あります。…を2本取りました。中に…はいくつありますか？</c></summary>
    public static JapaneseStory Container((int A, int B, bool Sub) operands, ContainerThing thing)
    {
        var (a, b, sub) = operands;
        var (container, ja, c) = thing;
        return new JapaneseStory(
            new MathProblem(
                $"{container}の中に{ja}が{N(a)}{c}あります。"
                    + $"{ja}を{N(b)}{c}{(sub ? "取りました" : "足しました")}。"
                    + $"中に{ja}はいくつありますか？",
                "",
                a,
                b,
                sub
            ),
            c,
            $"{container}の中に{ja}は",
            "あります"
        );
    }

    /// <summary>MATH-B's scene frame: <c>バスに乗客が5人います。乗客が2人降りました。バスに乗客はいくついますか？</c></summary>
    public static JapaneseStory Scene((int A, int B, bool Sub) operands, JapaneseScene scene)
    {
        var (a, b, sub) = operands;
        return new JapaneseStory(
            new MathProblem(
                $"{scene.Place}に{scene.Who}が{N(a)}{scene.Counter}{scene.Exist}。"
                    + $"{scene.Who}が{N(b)}{scene.Counter}{(sub ? scene.Take : scene.Add)}。"
                    + $"{scene.Place}に{scene.Who}はいくつ{scene.Exist[..^1]}すか？",
                "",
                a,
                b,
                sub
            ),
            scene.Counter,
            $"{scene.Place}に{scene.Who}は",
            scene.Exist
        );
    }
}
