using System.Text;

namespace EvoMerge.Evaluation;

/// <summary>
/// The language check standing in for the paper's fasttext identifier (P(ja) &gt; 0.5): the share of
/// Japanese script among the letters of a text.
/// </summary>
/// <remarks>
/// Letters are runes with Unicode category L* (so digits, punctuation, symbols, whitespace and the
/// full-width Japanese punctuation <c>。、「」？！・</c> are neutral and count for neither side). Japanese
/// letters are hiragana, katakana (incl. the long-vowel mark ー, phonetic extensions and half-width
/// katakana) and CJK ideographs (unified, extension A and beyond, compatibility, and 々 〆).
/// A text with no letters at all (e.g. <c>19</c>) has share 0 and is not Japanese; an equation
/// followed by a Japanese sentence (<c>12 + 7 = 19。答えは19本です。</c>) has share 1. Chinese text
/// also passes: the check tells Japanese script from Latin script, which is all the zoo needs.
/// </remarks>
public static class JapaneseScript
{
    /// <summary>The paper's threshold: Japanese when the share is strictly above it.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>True for hiragana, katakana and CJK ideograph letters.</summary>
    public static bool IsJapaneseLetter(Rune rune)
    {
        if (!Rune.IsLetter(rune))
            return false;
        var v = rune.Value;
        return v
            is >= 0x3041
                and <= 0x309F // hiragana
                or >= 0x30A0
                and <= 0x30FF // katakana (ー included; ・ is punctuation, not a letter)
                or >= 0x31F0
                and <= 0x31FF // katakana phonetic extensions
                or >= 0xFF66
                and <= 0xFF9F // half-width katakana
                or >= 0x4E00
                and <= 0x9FFF // CJK unified ideographs
                or >= 0x3400
                and <= 0x4DBF // extension A
                or >= 0xF900
                and <= 0xFAFF // compatibility ideographs
                or >= 0x20000
                and <= 0x3134F // extensions B-G
                or 0x3005 // 々
                or 0x3006; // 〆
    }

    /// <summary>Japanese letters divided by all letters; 0 when the text has no letters.</summary>
    public static double Share(string text)
    {
        int letters = 0,
            japanese = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
                continue;
            letters++;
            if (IsJapaneseLetter(rune))
                japanese++;
        }
        return letters == 0 ? 0 : (double)japanese / letters;
    }

    /// <summary>True when <see cref="Share"/> is strictly above <paramref name="threshold"/>.</summary>
    public static bool IsJapanese(string text, double threshold = DefaultThreshold) =>
        Share(text) > threshold;

    /// <summary>True when the text holds at least one Japanese letter.</summary>
    public static bool ContainsJapanese(string text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (IsJapaneseLetter(rune))
                return true;
        return false;
    }
}
