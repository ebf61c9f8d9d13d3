namespace EvoMerge.Evaluation;

/// <summary>
/// Number extraction for answer checking, after the MGSM/GSM8k convention: the prediction is the
/// last number in the text, the gold is the number after <c>####</c>.
/// </summary>
/// <remarks>
/// Rules (all unit-tested):
/// <list type="bullet">
/// <item>Full-width digits and separators (<c>０-９ ， ． －</c>) and the minus sign U+2212 are read as ASCII first.</item>
/// <item>A comma is a thousands separator only when exactly three digits follow it (<c>1,234</c> is 1234;
/// <c>3,4</c> is two numbers). The harnesses strip every comma; ours keeps lists like <c>3,4,5</c> apart.</item>
/// <item>A decimal point needs a digit on both sides (<c>38.</c> at a sentence end is 38).</item>
/// <item>A hyphen is a sign only when the character before it is neither a letter nor a digit
/// (<c>x = -5</c> is −5; <c>41-17</c> and <c>COVID-19</c> are not negative).</item>
/// <item>Numbers are compared in canonical form: no leading zeros, no trailing fractional zeros,
/// no sign on zero (<c>007</c> = <c>7</c>, <c>19.0</c> = <c>19</c>), so any size compares exactly.</item>
/// </list>
/// </remarks>
public static class Numbers
{
    /// <summary>Every number in <paramref name="text"/>, in order, in canonical form.</summary>
    public static IReadOnlyList<string> ExtractAll(string text)
    {
        var s = NormalizeWidth(text);
        var found = new List<string>();
        var i = 0;
        while (i < s.Length)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                i++;
                continue;
            }
            var negative = i > 0 && s[i - 1] == '-' && (i < 2 || !char.IsLetterOrDigit(s[i - 2]));
            var intStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
                i++;
            var integer = new System.Text.StringBuilder(s, intStart, i - intStart, 16);
            while (IsThousandsGroup(s, i))
            {
                integer.Append(s, i + 1, 3);
                i += 4;
            }
            var fraction = "";
            if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
            {
                var fracStart = ++i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                    i++;
                fraction = s[fracStart..i];
            }
            found.Add(Format(negative, integer.ToString(), fraction));
        }
        return found;
    }

    /// <summary>The last number in <paramref name="text"/> (canonical), or null when there is none.</summary>
    public static string? Last(string text)
    {
        var all = ExtractAll(text);
        return all.Count == 0 ? null : all[^1];
    }

    /// <summary>
    /// The gold number of a reference answer: the first number after the last <c>####</c>, else the
    /// last number of the answer; null when there is none.
    /// </summary>
    public static string? Gold(string answer)
    {
        var marker = answer.LastIndexOf("####", StringComparison.Ordinal);
        if (marker >= 0)
        {
            var after = ExtractAll(answer[(marker + 4)..]);
            if (after.Count > 0)
                return after[0];
        }
        return Last(answer);
    }

    /// <summary>True when the last number of <paramref name="output"/> equals <paramref name="gold"/> (both canonical).</summary>
    public static bool LastNumberMatches(string output, string? gold) =>
        gold is not null && Last(output) == gold;

    /// <summary>The canonical form of a number written in <paramref name="number"/>; null when it holds none.</summary>
    public static string? Canonical(string number)
    {
        var all = ExtractAll(number);
        return all.Count == 0 ? null : all[0];
    }

    /// <summary>Maps full-width digits, comma, full stop and minus (and U+2212) to ASCII; length is preserved.</summary>
    public static string NormalizeWidth(string text) =>
        string.Create(
            text.Length,
            text,
            static (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    var c = source[i];
                    span[i] = c switch
                    {
                        >= '\uFF10' and <= '\uFF19' => (char)('0' + (c - '\uFF10')),
                        '\uFF0C' => ',',
                        '\uFF0E' => '.',
                        '\uFF0D' or '\u2212' => '-',
                        _ => c,
                    };
                }
            }
        );

    static bool IsThousandsGroup(string s, int i) =>
        i + 3 < s.Length
        && s[i] == ','
        && char.IsAsciiDigit(s[i + 1])
        && char.IsAsciiDigit(s[i + 2])
        && char.IsAsciiDigit(s[i + 3])
        && (i + 4 == s.Length || !char.IsAsciiDigit(s[i + 4]));

    static string Format(bool negative, string integer, string fraction)
    {
        integer = integer.TrimStart('0');
        fraction = fraction.TrimEnd('0');
        if (integer.Length == 0)
            integer = "0";
        var body = fraction.Length == 0 ? integer : integer + "." + fraction;
        return negative && body != "0" ? "-" + body : body;
    }
}
