using static EvoMerge.Zoo.Data.English;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// The target task: Japanese arithmetic word problems answered in Japanese. Stories, things and
/// verbs are disjoint from the English problems (pencils, stamps, rice balls, goldfish, birds ...
/// received, used, flown away), so no English template is merely translated. The answer is the
/// equation the math models write followed by the Japanese sentence the JA model writes:
/// <c>12 + 7 = 19。答えは19本です。\n#### 19</c>.
/// </summary>
internal static class JapaneseMath
{
    /// <summary>Owned things: word, counter, can be used up, can be eaten.</summary>
    static readonly (string Ja, string Counter, bool Usable, bool Edible)[] Owned =
    [
        ("鉛筆", "本", true, false),
        ("花", "本", false, false),
        ("傘", "本", false, false),
        ("大根", "本", false, false),
        ("だんご", "本", false, true),
        ("切手", "枚", true, false),
        ("皿", "枚", false, false),
        ("折り紙", "枚", true, false),
        ("せんべい", "枚", false, true),
        ("ノート", "冊", true, false),
        ("絵本", "冊", false, false),
        ("おにぎり", "個", false, true),
        ("ケーキ", "個", false, true),
        ("貝がら", "個", false, false),
        ("石", "個", false, false),
    ];

    static readonly string[] Givers =
    [
        "友だち",
        "お母さん",
        "お父さん",
        "おばあさん",
        "先生",
        "兄",
        "姉",
    ];
    static readonly string[] Receivers = ["友だち", "弟", "妹", "となりの子"];
    static readonly string[] Containers = ["箱", "かご", "袋", "引き出し", "かばん"];

    /// <summary>Animals somewhere: place, animal, counter, arrival phrase, departure phrase.</summary>
    static readonly (string Place, string Ja, string Counter, string Come, string Go)[] Scenes =
    [
        ("池", "金魚", "匹", "増えました", "減りました"),
        ("木の上", "鳥", "羽", "飛んできました", "飛んでいきました"),
        ("池", "アヒル", "羽", "やって来ました", "どこかへ行きました"),
        ("庭", "うさぎ", "匹", "やって来ました", "にげていきました"),
        ("公園", "子ども", "人", "遊びに来ました", "家に帰りました"),
        ("花畑", "ちょうちょ", "匹", "飛んできました", "飛んでいきました"),
    ];

    /// <summary>
    /// One problem. <paramref name="neutralQuestionShare"/> of the questions ask "how many now"
    /// without a word that hints at the operation (全部で, 残って), so the verb must be read.
    /// </summary>
    public static MathProblem Next(
        DataRandom r,
        int min,
        int max,
        double subtractionShare,
        double neutralQuestionShare
    )
    {
        var (a, b, sub) = MathProblem.Draw(r, min, max, subtractionShare);
        var neutral = r.Chance(neutralQuestionShare);
        string question,
            counter;
        switch (r.Next(3))
        {
            case 0:
            {
                var p = r.Pick(Lexicon.People);
                var (o, c, usable, edible) = r.Pick(Owned);
                counter = c;
                var start = $"{p.Ja}は{o}を{N(a)}{c}持っています。";
                string step;
                if (!sub)
                    step = r.Next(4) switch
                    {
                        0 => $"{r.Pick(Givers)}から{o}を{N(b)}{c}もらいました。",
                        1 => $"店で{o}を{N(b)}{c}買いました。",
                        2 => $"{o}を{N(b)}{c}見つけました。",
                        _ => $"{r.Pick(Givers)}が{o}を{N(b)}{c}くれました。",
                    };
                else
                {
                    var kinds = new List<int> { 0, 1 };
                    if (usable)
                        kinds.Add(2);
                    if (edible)
                        kinds.Add(3);
                    step = r.Pick(kinds) switch
                    {
                        0 => $"{r.Pick(Receivers)}に{o}を{N(b)}{c}あげました。",
                        1 => $"{o}を{N(b)}{c}なくしました。",
                        2 => $"{o}を{N(b)}{c}使いました。",
                        _ => $"{o}を{N(b)}{c}食べました。",
                    };
                }
                var ask =
                    neutral ? $"{p.Ja}は今、{o}を何{c}持っていますか？"
                    : sub ? $"{o}は何{c}残っていますか？"
                    : $"{o}は全部で何{c}になりましたか？";
                question = start + step + ask;
                break;
            }
            case 1:
            {
                var k = r.Pick(Containers);
                var (o, c, _, _) = r.Pick(Owned);
                counter = c;
                var p = r.Pick(Lexicon.People);
                var start = $"{k}に{o}が{N(a)}{c}入っています。";
                var step = sub
                    ? $"{p.Ja}が{o}を{N(b)}{c}取り出しました。"
                    : $"{p.Ja}が{o}を{N(b)}{c}入れました。";
                var ask =
                    neutral ? $"今、{k}に{o}は何{c}入っていますか？"
                    : sub ? $"{k}に{o}は何{c}残っていますか？"
                    : $"{k}の中の{o}は全部で何{c}になりましたか？";
                question = start + step + ask;
                break;
            }
            default:
            {
                var (place, animal, c, come, go) = r.Pick(Scenes);
                counter = c;
                var start = $"{place}に{animal}が{N(a)}{c}います。";
                var step = $"{animal}が{N(b)}{c}{(sub ? go : come)}。";
                var ask =
                    neutral ? $"今、{place}に{animal}は何{c}いますか？"
                    : sub ? $"{place}に{animal}は何{c}残っていますか？"
                    : $"{animal}は全部で何{c}になりましたか？";
                question = start + step + ask;
                break;
            }
        }
        var problem = new MathProblem(question, "", a, b, sub);
        var result = N(problem.Result);
        return problem with
        {
            Answer = $"{problem.Equation}。答えは{result}{counter}です。\n#### {result}",
        };
    }
}
