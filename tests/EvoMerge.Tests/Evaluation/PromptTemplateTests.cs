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

    [Fact]
    public void Loads_templates_from_a_prompts_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(
                path,
                "{\"ja\": \"問題: {question}\\n答え:\", \"bad\": \"no placeholder\"}"
            );
            Assert.Equal(PromptTemplate.JapaneseMath, PromptTemplate.Load(path, "ja"));
            var missing = Assert.Throws<TaskFileException>(() => PromptTemplate.Load(path, "en"));
            Assert.Contains("\"en\"", missing.Message);
            Assert.Equal(path, missing.FilePath);
            Assert.Contains(
                "{question}",
                Assert.Throws<TaskFileException>(() => PromptTemplate.Load(path, "bad")).Message
            );
            File.WriteAllText(path, "{");
            Assert.Contains(
                "invalid JSON",
                Assert.Throws<TaskFileException>(() => PromptTemplate.Load(path, "ja")).Message
            );
        }
        finally
        {
            File.Delete(path);
        }
    }
}
