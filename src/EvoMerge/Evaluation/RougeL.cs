using System.Text;

namespace EvoMerge.Evaluation;

/// <summary>
/// ROUGE-L (Lin 2004): the longest common subsequence of candidate and reference tokens, reported
/// as an F-measure with β = 1 (rouge-score's default).
/// </summary>
/// <remarks>
/// Tokens: when either text contains a Japanese letter, every letter or digit character is a token
/// (Japanese has no spaces, and the paper's JA-VG-VQA score is character-based); otherwise tokens
/// are lower-cased runs of letters and digits (punctuation and whitespace separate them, as in
/// rouge-score's tokenizer, without stemming). An empty candidate or reference scores 0.
/// </remarks>
public static class RougeL
{
    /// <summary>Precision, recall and F of <paramref name="candidate"/> against <paramref name="reference"/>.</summary>
    public static RougeLScore Compute(string candidate, string reference)
    {
        var characterLevel =
            JapaneseScript.ContainsJapanese(candidate)
            || JapaneseScript.ContainsJapanese(reference);
        var c = Tokenize(candidate, characterLevel);
        var r = Tokenize(reference, characterLevel);
        if (c.Count == 0 || r.Count == 0)
            return new RougeLScore(0, 0, 0);
        var lcs = LongestCommonSubsequence(c, r);
        if (lcs == 0)
            return new RougeLScore(0, 0, 0);
        var precision = (double)lcs / c.Count;
        var recall = (double)lcs / r.Count;
        return new RougeLScore(precision, recall, 2 * precision * recall / (precision + recall));
    }

    /// <summary>The F-measure only.</summary>
    public static double F(string candidate, string reference) => Compute(candidate, reference).F;

    /// <summary>Characters (letters and digits) or lower-cased words, as described on the class.</summary>
    public static IReadOnlyList<string> Tokenize(string text, bool characterLevel)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                if (characterLevel)
                    tokens.Add(rune.ToString());
                else
                    word.Append(Rune.ToLowerInvariant(rune).ToString());
            }
            else if (word.Length > 0)
            {
                tokens.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
            tokens.Add(word.ToString());
        return tokens;
    }

    /// <summary>LCS length by dynamic programming over two rows (O(n·m) time, O(m) memory).</summary>
    public static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
                current[j] =
                    a[i - 1] == b[j - 1]
                        ? previous[j - 1] + 1
                        : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }
}
