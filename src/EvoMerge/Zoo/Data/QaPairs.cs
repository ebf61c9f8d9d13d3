using EvoMerge.Common.Random;
using static EvoMerge.Zoo.Data.English;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// Question–answer pairs that need no arithmetic: animal sounds, colors, opposites, seasons, where
/// someone does something, and counts read back from the question. Every answer restates a fact
/// and ends with "答えは…です。" / "The answer is …." — the same surface as the target's answers,
/// where the restated fact is an equation.
/// </summary>
internal static class QaPairs
{
    /// <summary>A random pair; half of them read a count back (numbers in context, no computing).</summary>
    public static (Bilingual Question, Bilingual Answer) Next(Xoshiro256StarStar r, int maxCount) =>
        r.Next(10) switch
        {
            0 => Sound(r),
            1 => Color(r),
            2 => Opposite(r),
            3 => Season(r),
            4 => Where(r),
            5 or 6 => CountLookup(r, maxCount),
            _ => CountPick(r, maxCount),
        };

    static (Bilingual, Bilingual) Sound(Xoshiro256StarStar r)
    {
        var (animal, sound) = r.Pick(Lexicon.Sounds);
        return (
            new($"What does {Article(animal.En)} say?", $"{animal.Ja}は何と鳴きますか？"),
            new(
                $"{Capitalize(Article(animal.En))} says {sound.En}. The answer is {sound.En}.",
                $"{animal.Ja}は{sound.Ja}と鳴きます。答えは{sound.Ja}です。"
            )
        );
    }

    static (Bilingual, Bilingual) Color(Xoshiro256StarStar r)
    {
        var (thing, color) = r.Pick(Lexicon.Colors);
        return (
            new($"What color is the {thing.En}?", $"{thing.Ja}は何色ですか？"),
            new(
                $"The {thing.En} is {color.En}. The answer is {color.En}.",
                $"{thing.Ja}の色は{color.Ja}です。答えは{color.Ja}です。"
            )
        );
    }

    static (Bilingual, Bilingual) Opposite(Xoshiro256StarStar r)
    {
        var (a, b) = r.Pick(Lexicon.Opposites);
        if (r.Chance(0.5))
            (a, b) = (b, a);
        return (
            new($"What is the opposite of \"{a.En}\"?", $"「{a.Ja}」の反対は何ですか？"),
            new(
                $"The opposite of \"{a.En}\" is \"{b.En}\". The answer is {b.En}.",
                $"「{a.Ja}」の反対は「{b.Ja}」です。答えは「{b.Ja}」です。"
            )
        );
    }

    static (Bilingual, Bilingual) Season(Xoshiro256StarStar r)
    {
        var i = r.Next(Lexicon.Seasons.Length);
        var s = Lexicon.Seasons[i];
        var next = Lexicon.Seasons[(i + 1) % Lexicon.Seasons.Length];
        return (
            new($"Which season comes after {s.En}?", $"{s.Ja}の次の季節は何ですか？"),
            new(
                $"{Capitalize(next.En)} comes after {s.En}. The answer is {next.En}.",
                $"{s.Ja}の次は{next.Ja}です。答えは{next.Ja}です。"
            )
        );
    }

    static (Bilingual, Bilingual) Where(Xoshiro256StarStar r)
    {
        var p = r.Pick(Lexicon.People);
        var place = r.Pick(Lexicon.Places);
        var act = r.Pick(Lexicon.Activities);
        return (
            new(
                $"{p.En} {act.En} {place.At} the {place.En}. Where does {p.En} {BaseForm(act.En)}?",
                $"{p.Ja}は{place.Ja}で{act.Ja}。{p.Ja}はどこで{act.Ja}か？"
            ),
            new(
                $"{p.En} {act.En} {place.At} the {place.En}. The answer is the {place.En}.",
                $"{p.Ja}は{place.Ja}で{act.Ja}。答えは{place.Ja}です。"
            )
        );
    }

    /// <summary>One count stated, then asked: the answer copies the number.</summary>
    static (Bilingual, Bilingual) CountLookup(Xoshiro256StarStar r, int maxCount)
    {
        var n = r.Between(1, maxCount);
        var t = r.Pick(Lexicon.Things);
        if (t.Counter != "人" && r.Chance(0.5))
        {
            var p = r.Pick(Lexicon.People);
            var fact = GeneralSentences.Has(p, t, n);
            var verb = Lexicon.IsAnimate(t) ? "飼っています" : "持っています";
            return (
                new(
                    $"{fact.En} How many {t.Many} does {p.En} have?",
                    $"{fact.Ja}{p.Ja}は{t.Ja}を何{t.Counter}{verb}か？"
                ),
                new($"{fact.En} The answer is {N(n)}.", $"{fact.Ja}答えは{N(n)}{t.Counter}です。")
            );
        }
        var place = r.Pick(Lexicon.Places);
        var there = GeneralSentences.ThereAre(place, t, n);
        var be = Lexicon.IsAnimate(t) ? "います" : "あります";
        return (
            new(
                $"{there.En} How many {t.Many} are in the {place.En}?",
                $"{there.Ja}{place.Ja}に{t.Ja}は何{t.Counter}{be}か？"
            ),
            new($"{there.En} The answer is {N(n)}.", $"{there.Ja}答えは{N(n)}{t.Counter}です。")
        );
    }

    /// <summary>Two people's counts stated, one asked: reading which number, still no computing.</summary>
    static (Bilingual, Bilingual) CountPick(Xoshiro256StarStar r, int maxCount)
    {
        var things = Lexicon.Things.Where(t => !Lexicon.IsAnimate(t)).ToArray();
        var p = r.Pick(Lexicon.People);
        var q = r.Pick(Lexicon.People);
        while (q == p)
            q = r.Pick(Lexicon.People);
        var t1 = r.Pick(things);
        var t2 = r.Pick(things);
        int n1 = r.Between(1, maxCount),
            n2 = r.Between(1, maxCount);
        var askFirst = r.Chance(0.5);
        var (who, what, n) = askFirst ? (p, t1, n1) : (q, t2, n2);
        var fact = GeneralSentences.Has(who, what, n);
        return (
            new(
                $"{p.En} has {N(n1)} {t1.En(n1)} and {q.En} has {N(n2)} {t2.En(n2)}. "
                    + $"How many {what.Many} does {who.En} have?",
                $"{p.Ja}は{t1.Ja}を{N(n1)}{t1.Counter}、{q.Ja}は{t2.Ja}を{N(n2)}{t2.Counter}持っています。"
                    + $"{who.Ja}は{what.Ja}を何{what.Counter}持っていますか？"
            ),
            new($"{fact.En} The answer is {N(n)}.", $"{fact.Ja}答えは{N(n)}{what.Counter}です。")
        );
    }
}
