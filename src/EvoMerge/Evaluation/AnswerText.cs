namespace EvoMerge.Evaluation;

/// <summary>Post-processing of a generated continuation before it is scored.</summary>
public static class AnswerText
{
    /// <summary>
    /// Drops leading whitespace (the continuation of <c>答え:</c> usually starts with a space or a
    /// newline), cuts at the earliest occurrence of any stop string, and trims the end. So
    /// <c>" 12 + 7 = 19。\n\n問題: ..."</c> with stops <c>\n\n</c> and <c>問題:</c> becomes <c>12 + 7 = 19。</c>:
    /// a model that runs on into a new question is not credited (or blamed) for what follows.
    /// </summary>
    public static string Cut(string output, IEnumerable<string> stopStrings)
    {
        var text = output.TrimStart();
        var end = text.Length;
        foreach (var stop in stopStrings)
        {
            if (stop.Length == 0)
                continue;
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && at < end)
                end = at;
        }
        return text[..end].TrimEnd();
    }
}
