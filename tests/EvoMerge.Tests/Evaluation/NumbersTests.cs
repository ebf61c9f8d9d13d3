using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class NumbersTests
{
    [Theory]
    [InlineData("23 + 15 = 38. #### 38", "38")]
    [InlineData("The answer is 1,234 apples.", "1234")]
    [InlineData("It costs 12,345,678 yen", "12345678")]
    [InlineData("lists 3,4,5", "5")]
    [InlineData("x = -5", "-5")]
    [InlineData("41-17", "17")]
    [InlineData("COVID-19", "19")]
    [InlineData("temperature −3 degrees", "-3")]
    [InlineData("3.50 dollars", "3.5")]
    [InlineData("ends with 38.", "38")]
    [InlineData("007 agents", "7")]
    [InlineData("19.0", "19")]
    [InlineData("-0", "0")]
    [InlineData("答えは１９本です。", "19")]
    [InlineData("１，２３４．５０", "1234.5")]
    [InlineData("－７です", "-7")]
    [InlineData("12 + 7 = 19。答えは19本です。\n#### 19", "19")]
    [InlineData("99999999999999999999999999999999999", "99999999999999999999999999999999999")]
    public void Last_number_follows_the_convention(string text, string expected) =>
        Assert.Equal(expected, Numbers.Last(text));

    [Theory]
    [InlineData("")]
    [InlineData("no numbers here")]
    [InlineData("答えはわかりません。")]
    public void No_number_gives_null(string text) => Assert.Null(Numbers.Last(text));

    [Fact]
    public void Extract_all_keeps_order() =>
        Assert.Equal(
            ["41", "17", "24", "24"],
            Numbers.ExtractAll("We compute 41 - 17 = 24.\n#### 24")
        );

    [Theory]
    [InlineData("23 + 15 = 38. #### 38", "38")]
    [InlineData("So 5 - 2 = 3\n#### 3 apples, not 4", "3")]
    [InlineData("#### 1 #### 2", "2")]
    [InlineData("no marker, the answer is 7 or 8", "8")]
    [InlineData("#### none, but 5 before", "5")]
    [InlineData("nothing", null)]
    public void Gold_is_the_number_after_the_last_marker(string answer, string? expected) =>
        Assert.Equal(expected, Numbers.Gold(answer));

    [Theory]
    [InlineData("The total is 19.", "19", true)]
    [InlineData("19 then 20", "19", false)]
    [InlineData("19.00", "19", true)]
    [InlineData("nothing", "19", false)]
    [InlineData("19", null, false)]
    public void Last_number_match(string output, string? gold, bool expected) =>
        Assert.Equal(expected, Numbers.LastNumberMatches(output, gold));

    [Fact]
    public void Width_normalization_preserves_length()
    {
        const string text = "０１２３４５６７８９，．－−abc";
        var normalized = Numbers.NormalizeWidth(text);
        Assert.Equal("0123456789,.--abc", normalized);
        Assert.Equal(text.Length, normalized.Length);
    }
}
