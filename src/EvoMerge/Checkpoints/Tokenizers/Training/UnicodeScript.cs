using System.Globalization;
using System.Text;

namespace EvoMerge.Checkpoints.Tokenizers.Training;

/// <summary>
/// A coarse stand-in for ICU's script property (which .NET lacks), enough for sentencepiece's
/// split_by_unicode_script rule: Han, Hiragana, Katakana and the prolonged sound mark U+30FC are
/// one script (as sentencepiece merges them), digits form their own class (split_by_number),
/// punctuation, symbols and spaces are Common, and letters are told apart by their Unicode block.
/// </summary>
internal static class UnicodeScript
{
    public const int Whitespace = -1; // U+2581: combines with any script
    const int Common = 0,
        Number = 1,
        Latin = 2,
        Greek = 3,
        Cyrillic = 4,
        HanKana = 5,
        Hangul = 6;

    public static int Of(Rune r)
    {
        int c = r.Value;
        if (c == 0x2581)
            return Whitespace;
        if (Rune.IsDigit(r))
            return Number;
        if (
            c == 0x30FC
            || (c >= 0x3040 && c <= 0x30FF)
            || (c >= 0x31F0 && c <= 0x31FF)
            || (c >= 0xFF66 && c <= 0xFF9F)
        )
            return HanKana;
        if (
            (c >= 0x4E00 && c <= 0x9FFF)
            || (c >= 0x3400 && c <= 0x4DBF)
            || (c >= 0xF900 && c <= 0xFAFF)
            || (c >= 0x20000 && c <= 0x3FFFF)
            || c == 0x3005
        )
            return HanKana;
        if (
            !Rune.IsLetter(r)
            && Rune.GetUnicodeCategory(r)
                is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
        )
            return Common;
        if (c < 0x0250 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0xFF21 && c <= 0xFF5A))
            return Latin;
        if (c >= 0x0370 && c <= 0x03FF)
            return Greek;
        if (c >= 0x0400 && c <= 0x052F)
            return Cyrillic;
        if (
            (c >= 0xAC00 && c <= 0xD7AF)
            || (c >= 0x1100 && c <= 0x11FF)
            || (c >= 0x3130 && c <= 0x318F)
        )
            return Hangul;
        // Other letters: one class per 128-code-point block keeps e.g. Thai apart from Arabic.
        return 16 + (c >> 7);
    }
}
