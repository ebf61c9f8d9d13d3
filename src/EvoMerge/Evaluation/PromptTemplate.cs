namespace EvoMerge.Evaluation;

/// <summary>
/// A prompt with a <c>{question}</c> placeholder, e.g. <c>"問題: {question}\n答え:"</c>. The model's
/// continuation after the prompt is its answer.
/// </summary>
public sealed record PromptTemplate
{
    /// <summary>The placeholder replaced by the question.</summary>
    public const string Placeholder = "{question}";

    /// <summary>The Japanese arithmetic target (and the JA question–answer text): <c>問題: {question}\n答え:</c>.</summary>
    public static PromptTemplate JapaneseMath { get; } = new("問題: {question}\n答え:");

    /// <summary>English arithmetic, MATH-A style: <c>Question: {question}\nAnswer:</c>.</summary>
    public static PromptTemplate EnglishMath { get; } = new("Question: {question}\nAnswer:");

    /// <summary>English arithmetic, MATH-B style: <c>Q: {question}\nA:</c>.</summary>
    public static PromptTemplate EnglishMathB { get; } = new("Q: {question}\nA:");

    /// <summary>Creates a template; it must contain <see cref="Placeholder"/>.</summary>
    public PromptTemplate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains(Placeholder, StringComparison.Ordinal))
            throw new ArgumentException(
                $"A prompt template needs the placeholder {Placeholder}: \"{text}\"",
                nameof(text)
            );
        Text = text;
    }

    /// <summary>The template text.</summary>
    public string Text { get; }

    /// <summary>
    /// Reads the template of <paramref name="task"/> from a prompts file: a JSON object mapping
    /// task names to template texts (e.g. <c>data/tasks/prompts.json</c>).
    /// </summary>
    /// <exception cref="TaskFileException">The file is unreadable, not such an object, or lacks the task.</exception>
    public static PromptTemplate Load(string path, string task)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TaskFileException(path, null, "cannot be read: " + e.Message, e);
        }
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (
                doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object
                || !doc.RootElement.TryGetProperty(task, out var value)
                || value.ValueKind != System.Text.Json.JsonValueKind.String
            )
                throw new TaskFileException(path, null, $"no prompt template for task \"{task}\"");
            return new PromptTemplate(value.GetString()!);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new TaskFileException(path, null, "invalid JSON: " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new TaskFileException(path, null, e.Message, e);
        }
    }

    /// <summary>The prompt for one question (every placeholder replaced).</summary>
    public string Render(string question) =>
        Text.Replace(Placeholder, question, StringComparison.Ordinal);

    /// <summary>The text a model is fine-tuned on: the prompt, one space, the answer.</summary>
    public string RenderWithAnswer(string question, string answer) =>
        Render(question) + " " + answer;
}
