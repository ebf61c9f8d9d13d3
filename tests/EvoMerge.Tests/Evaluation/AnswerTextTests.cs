using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class AnswerTextTests
{
    static readonly string[] Stops = ["\n\n", "問題:", "Question:"];

    [Theory]
    [InlineData(
        " 12 + 7 = 19。答えは19本です。\n\n問題: 次の問題",
        "12 + 7 = 19。答えは19本です。"
    )]
    [InlineData(" 12 + 7 = 19。\n#### 19\n問題: 3 + 4", "12 + 7 = 19。\n#### 19")]
    [InlineData("\n\n 5 apples\nQuestion: next", "5 apples")]
    [InlineData(" no stop here ", "no stop here")]
    [InlineData("問題: at the start", "")]
    [InlineData("", "")]
    public void Cuts_at_the_earliest_stop(string output, string expected) =>
        Assert.Equal(expected, AnswerText.Cut(output, Stops));

    [Fact]
    public void Empty_stop_strings_are_ignored() =>
        Assert.Equal("abc", AnswerText.Cut("abc", [""]));
}
