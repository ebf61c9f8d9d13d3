using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EvoMerge.Evaluation;

/// <summary>
/// A question's identity for leak checks: SHA-256 of its normalized text (full-width ASCII folded to
/// ASCII, whitespace runs collapsed to one space, trimmed, lower-cased), so a copy that differs only
/// in spacing, width or case still matches. The width folding is done here because string.Normalize
/// is a no-op under the invariant globalization this repo builds with.
/// </summary>
public static partial class QuestionHash
{
    /// <summary>The hex digest of <paramref name="question"/>'s normalized text.</summary>
    public static string Of(string question) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(question))));

    /// <summary>Full-width folded, collapsed whitespace, trimmed, lower-case (invariant).</summary>
    public static string Normalize(string question) =>
        Whitespace().Replace(FoldWidth(question), " ").Trim().ToLowerInvariant();

    // U+FF01..U+FF5E are the full-width forms of '!'..'~'.
    static string FoldWidth(string text) =>
        string.Create(
            text.Length,
            text,
            (span, source) =>
            {
                for (int i = 0; i < source.Length; i++)
                    span[i] = source[i] is >= '\uFF01' and <= '\uFF5E'
                        ? (char)(source[i] - 0xFEE0)
                        : source[i];
            }
        );

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
