using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public class PromptTemplateTests
{
    [Fact]
    public void Renders_the_question()
    {
        Assert.Equal(
            "問題: 犬は何と鳴きますか？\n答え:",
            PromptTemplate.JapaneseMath.Render("犬は何と鳴きますか？")
        );
        Assert.Equal("Question: 1?\nAnswer:", PromptTemplate.EnglishMath.Render("1?"));
        Assert.Equal("Q: 1?\nA: 2", PromptTemplate.EnglishMathB.RenderWithAnswer("1?", "2"));
    }

    [Fact]
    public void Missing_placeholder_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new PromptTemplate("Question: {q}"));
        Assert.Contains("{question}", e.Message);
    }

    [Fact]
    public void Templates_compare_by_text() =>
        Assert.Equal(new PromptTemplate("問題: {question}\n答え:"), PromptTemplate.JapaneseMath);
}
