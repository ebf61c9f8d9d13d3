namespace EvoMerge.Tests.Tokenizers;

/// <summary>A small seeded English + Japanese corpus in the style of GSM8K word problems.</summary>
internal static class BilingualCorpus
{
    static readonly string[] Names = ["Natalia", "James", "Maria", "Ken", "Aiko", "Tom", "Sara"];
    static readonly string[] Items = ["apples", "clips", "books", "pencils", "cookies", "stamps"];
    static readonly string[] Verbs = ["sold", "bought", "gave away", "found", "made"];
    static readonly string[] Months = ["April", "May", "June", "July"];
    static readonly string[] JaNames =
    [
        "ナタリア",
        "ジェームズ",
        "マリア",
        "健",
        "愛子",
        "トム",
        "サラ",
    ];
    static readonly string[] JaItems = ["りんご", "クリップ", "本", "鉛筆", "クッキー", "切手"];
    static readonly string[] JaVerbs =
    [
        "売りました",
        "買いました",
        "あげました",
        "見つけました",
        "作りました",
    ];
    static readonly string[] JaMonths = ["4月", "5月", "6月", "7月"];

    public static List<string> Lines(int count, int seed = 7)
    {
        var random = new Random(seed);
        string Pick(string[] a) => a[random.Next(a.Length)];
        var lines = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            int n = random.Next(2, 120);
            lines.Add(
                (i % 2) switch
                {
                    0 =>
                        $"{Pick(Names)} {Pick(Verbs)} {n} {Pick(Items)} to her friends in {Pick(Months)}. How many {Pick(Items)} are left?",
                    _ =>
                        $"{Pick(JaNames)}は{Pick(JaMonths)}に{n}個の{Pick(JaItems)}を{Pick(JaVerbs)}。残りはいくつですか？",
                }
            );
        }
        return lines;
    }
}
