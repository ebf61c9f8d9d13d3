using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class JapaneseScriptTests
{
    [Theory]
    [InlineData("12 + 7 = 19。答えは19本です。", 1.0)]
    [InlineData("ひらがな", 1.0)]
    [InlineData("カタカナー", 1.0)]
    [InlineData("ｶﾀｶﾅ", 1.0)]
    [InlineData("人々", 1.0)]
    [InlineData("𠮷", 1.0)] // an extension-B ideograph (a surrogate pair)
    [InlineData("23 + 15 = 38. #### 38", 0.0)]
    [InlineData("19", 0.0)]
    [InlineData("", 0.0)]
    [InlineData("。、「」？！・", 0.0)]
    [InlineData("ab答え", 0.5)]
    [InlineData("Ｔｏｍ", 0.0)] // full-width Latin letters are letters, not Japanese
    public void Share_counts_japanese_among_letters(string text, double expected) =>
        Assert.Equal(expected, JapaneseScript.Share(text), 12);

    [Theory]
    [InlineData("12 + 7 = 19。答えは19本です。\n#### 19", true)]
    [InlineData("The answer is 19. 答え", false)]
    [InlineData("ab答え", false)] // exactly 0.5 is not above the threshold
    [InlineData("a答え", true)]
    [InlineData("We compute 41 - 17 = 24.\n#### 24", false)]
    [InlineData("19", false)]
    public void Japanese_means_share_above_one_half(string text, bool expected) =>
        Assert.Equal(expected, JapaneseScript.IsJapanese(text));

    [Fact]
    public void Threshold_is_a_parameter()
    {
        Assert.True(JapaneseScript.IsJapanese("ab答え", 0.4));
        Assert.False(JapaneseScript.IsJapanese("a答え", 0.9));
    }
}
