using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class RougeLTests
{
    [Fact]
    public void Identical_texts_score_one() =>
        Assert.Equal(1.0, RougeL.F("the cat sat on the mat", "the cat sat on the mat"), 12);

    [Fact]
    public void Disjoint_texts_score_zero() => Assert.Equal(0.0, RougeL.F("dog runs", "cat sat"));

    [Fact]
    public void English_is_scored_on_lowercased_words()
    {
        // Lin (2004)'s example: reference "police killed the gunman", candidate "police kill the
        // gunman": no stemming, so LCS = police, the, gunman = 3 of 4 tokens on each side.
        var s = RougeL.Compute("Police kill the gunman.", "police killed the gunman");
        Assert.Equal(0.75, s.Precision, 12);
        Assert.Equal(0.75, s.Recall, 12);
        Assert.Equal(0.75, s.F, 12);
    }

    [Fact]
    public void Precision_and_recall_differ_with_lengths()
    {
        var s = RougeL.Compute("a b c d", "a c");
        Assert.Equal(0.5, s.Precision, 12);
        Assert.Equal(1.0, s.Recall, 12);
        Assert.Equal(2 * 0.5 / 1.5, s.F, 12);
    }

    [Fact]
    public void Japanese_is_scored_on_characters_without_punctuation()
    {
        // candidate 猫が座っている (7 characters), reference 猫がいる (4): LCS 猫がいる = 4.
        var s = RougeL.Compute("猫が座っている。", "猫がいる");
        Assert.Equal(4.0 / 7, s.Precision, 12);
        Assert.Equal(1.0, s.Recall, 12);
    }

    [Theory]
    [InlineData("", "abc")]
    [InlineData("abc", "")]
    [InlineData("", "")]
    [InlineData("...", "!!!")]
    public void Empty_token_lists_score_zero(string candidate, string reference) =>
        Assert.Equal(0.0, RougeL.F(candidate, reference));

    [Fact]
    public void Tokenizer_splits_on_punctuation() =>
        Assert.Equal(["it", "s", "a", "test", "42"], RougeL.Tokenize("It's a TEST! 42", false));

    [Fact]
    public void Character_tokenizer_keeps_letters_and_digits() =>
        Assert.Equal(["答", "え", "は", "1", "9"], RougeL.Tokenize("答えは 19。", true));

    [Fact]
    public void Lcs_is_order_sensitive() =>
        Assert.Equal(2, RougeL.LongestCommonSubsequence(["a", "b", "c", "d"], ["d", "a", "c"]));
}
