using EvoMerge.Common.Random;
using static EvoMerge.Zoo.Data.English;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// Everyday sentences rendered from one meaning into English and Japanese: people, animals, things,
/// places, routines, weather, counts. Numbers appear only as counts and clock hours: never a sum,
/// a difference or an equation.
/// </summary>
internal static class GeneralSentences
{
    /// <summary>One random sentence in both languages; counts go up to <paramref name="maxCount"/>.</summary>
    public static Bilingual Next(Xoshiro256StarStar r, int maxCount) =>
        r.Next(10) switch
        {
            0 => ActivityAtPlace(r),
            1 or 2 => Count(r, maxCount),
            3 => AnimalLooks(r),
            4 => Routine(r),
            5 => Weather(r),
            6 => Likes(r),
            7 => Exchange(r),
            8 => ColorOf(r),
            _ => r.Chance(0.5) ? Movement(r) : ActivityAtPlace(r),
        };

    /// <summary>A count sentence (possession or presence): the Japanese uses the thing's counter.</summary>
    public static Bilingual Count(Xoshiro256StarStar r, int maxCount)
    {
        var n = r.Between(1, maxCount);
        var thing = r.Pick(Lexicon.Things);
        if (r.Chance(0.5) && thing.Counter != "人")
            return Has(r.Pick(Lexicon.People), thing, n);
        return ThereAre(r.Pick(Lexicon.Places), thing, n);
    }

    /// <summary>"Tom has 3 apples." / "トムはりんごを3個持っています。" (animals: 飼っています).</summary>
    public static Bilingual Has(Person p, Thing t, int n) =>
        new(
            $"{p.En} has {N(n)} {t.En(n)}.",
            $"{p.Ja}は{t.Ja}を{N(n)}{t.Counter}{(Lexicon.IsAnimate(t) ? "飼っています" : "持っています")}。"
        );

    /// <summary>"There are 4 cats in the park." / "公園に猫が4匹います。"</summary>
    public static Bilingual ThereAre(Place place, Thing t, int n) =>
        new(
            $"There {(n == 1 ? "is" : "are")} {N(n)} {t.En(n)} in the {place.En}.",
            $"{place.Ja}に{t.Ja}が{N(n)}{t.Counter}{(Lexicon.IsAnimate(t) ? "います" : "あります")}。"
        );

    static Bilingual ActivityAtPlace(Xoshiro256StarStar r)
    {
        var p = r.Pick(Lexicon.People);
        var place = r.Pick(Lexicon.Places);
        var act = r.Pick(Lexicon.Activities);
        return new(
            $"{p.En} {act.En} {place.At} the {place.En}.",
            $"{p.Ja}は{place.Ja}で{act.Ja}。"
        );
    }

    static Bilingual AnimalLooks(Xoshiro256StarStar r)
    {
        var animals = Lexicon.Things.Where(t => t.Counter is "匹" or "羽").ToArray();
        var a = r.Pick(animals);
        var adj = r.Pick(Lexicon.AnimalAdjectives);
        return new($"The {a.One} is {adj.En}.", $"{a.Ja}は{adj.Ja}です。");
    }

    static Bilingual Routine(Xoshiro256StarStar r)
    {
        var p = r.Pick(Lexicon.People);
        var (routine, from, to) = r.Pick(Lexicon.Routines);
        var h = r.Between(from, to);
        return new($"{p.En} {routine.En} at {N(h)} o'clock.", $"{p.Ja}は{N(h)}時に{routine.Ja}。");
    }

    static Bilingual Weather(Xoshiro256StarStar r)
    {
        var w = r.Pick(Lexicon.Weather);
        var first = new Bilingual($"It is {w.En} today.", $"今日は{w.Ja}です。");
        if (w.En != "rainy")
            return first;
        var p = r.Pick(Lexicon.People);
        return new(
            $"{first.En} {p.En} takes an umbrella.",
            $"{first.Ja}{p.Ja}は傘を持っていきます。"
        );
    }

    static Bilingual Likes(Xoshiro256StarStar r)
    {
        var p = r.Pick(Lexicon.People);
        var f = r.Pick(Lexicon.Foods);
        return new($"{p.En} likes {f.En}.", $"{p.Ja}は{f.Ja}が好きです。");
    }

    /// <summary>
    /// Giving, getting, buying, losing, finding, using one thing, in the present or the past: the
    /// story verbs of the math problems (もらいました, あげました, ...), without any number.
    /// </summary>
    static Bilingual Exchange(Xoshiro256StarStar r)
    {
        var p = r.Pick(Lexicon.People);
        var q = r.Pick(Lexicon.People);
        while (q == p)
            q = r.Pick(Lexicon.People);
        var things = Lexicon.Things.Where(t => !Lexicon.IsAnimate(t)).ToArray();
        var t = r.Pick(things);
        var past = r.Chance(0.5);
        string Ja(string stem) => stem + (past ? "ました" : "ます");
        string En(string present, string pastForm) => past ? pastForm : present;
        var a = Article(t.One);
        return r.Next(6) switch
        {
            0 => new(
                $"{p.En} {En("gives", "gave")} {a} to {q.En}.",
                $"{p.Ja}は{q.Ja}に{t.Ja}を{Ja("あげ")}。"
            ),
            1 => new(
                $"{p.En} {En("gets", "got")} {a} from {q.En}.",
                $"{p.Ja}は{q.Ja}から{t.Ja}を{Ja("もらい")}。"
            ),
            2 => new(
                $"{p.En} {En("buys", "bought")} {a} at the store.",
                $"{p.Ja}は店で{t.Ja}を{Ja("買い")}。"
            ),
            3 => new(
                $"{p.En} {En("loses", "lost")} {p.His} {t.One}.",
                $"{p.Ja}は{t.Ja}を{Ja("なくし")}。"
            ),
            4 => FindAt(r.Pick(Lexicon.Places)),
            _ => new(
                $"{p.En} {En("uses", "used")} {p.His} {t.One}.",
                $"{p.Ja}は{t.Ja}を{Ja("使い")}。"
            ),
        };

        Bilingual FindAt(Place place) =>
            new(
                $"{p.En} {En("finds", "found")} {a} {place.At} the {place.En}.",
                $"{p.Ja}は{place.Ja}で{t.Ja}を{Ja("見つけ")}。"
            );
    }

    /// <summary>An animal comes or goes, present or past, without a number.</summary>
    static Bilingual Movement(Xoshiro256StarStar r)
    {
        var animals = Lexicon.Things.Where(t => t.Counter is "匹" or "羽").ToArray();
        var animal = r.Pick(animals);
        var place = r.Pick(Lexicon.Places);
        var past = r.Chance(0.5);
        var flies = animal.Counter == "羽";
        return r.Chance(0.5)
            ? new(
                $"The {animal.One} {(flies ? (past ? "flew" : "flies") : past ? "came" : "comes")} to the {place.En}.",
                $"{animal.Ja}が{place.Ja}に{(flies ? "飛んでき" : "やって来")}{(past ? "ました" : "ます")}。"
            )
            : new(
                $"The {animal.One} {(flies ? (past ? "flew" : "flies") : past ? "ran" : "runs")} away.",
                $"{animal.Ja}が{(flies ? "飛んでいき" : "にげていき")}{(past ? "ました" : "ます")}。"
            );
    }

    static Bilingual ColorOf(Xoshiro256StarStar r)
    {
        var (thing, color) = r.Pick(Lexicon.Colors);
        return new($"The {thing.En} is {color.En}.", $"{thing.Ja}の色は{color.Ja}です。");
    }
}
