namespace EvoMerge.Evaluation;

/// <summary>
/// Refuses to select on held-out data: fitness items whose questions occur in a test split turn the
/// final table into a training score. The check goes by content (<see cref="QuestionHash"/>), not by
/// file name, so a renamed copy of a test file or a link named <c>*_train.jsonl</c> is caught too.
/// mergekit's evolve refuses test sets the same way unless told explicitly.
/// </summary>
public static class FitnessSplitGuard
{
    /// <summary>
    /// The task files marked as a test split (their name, or the name of the file a link points
    /// to, ends in <c>_test</c>) among the <c>.jsonl</c> files of <paramref name="folders"/>, each
    /// once, by resolved path.
    /// </summary>
    public static IReadOnlyList<string> TestFilesIn(IEnumerable<string> folders) =>
        folders
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.jsonl"))
            .Where(Holds)
            .Where(IsMarkedTest)
            .DistinctBy(Resolved, StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();

    // A dangling or looping link holds no questions (File.Exists is true for the link itself).
    static bool Holds(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is not { } target
                || target.Exists;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>True when the file's name, or its link target's, says it is a test split.</summary>
    public static bool IsMarkedTest(string path) =>
        TaskSetLoader.NameAndSplit(path).Split == TaskSplit.Test
        || TaskSetLoader.NameAndSplit(Resolved(path)).Split == TaskSplit.Test;

    /// <summary>The path with every link followed (the path itself when it is no link).</summary>
    public static string Resolved(string path)
    {
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName
                ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    /// <summary>
    /// Throws <see cref="TestSplitForFitnessException"/> when any item of <paramref name="fitness"/>
    /// has a question of one of <paramref name="testSplits"/> and the override is off.
    /// </summary>
    /// <param name="fitness">The items scored for fitness (its <see cref="TaskSet.SourcePath"/> names it in the message).</param>
    /// <param name="testSplits">The sets marked as test splits.</param>
    /// <param name="allowTestSplitForFitness">The config's explicit override.</param>
    public static TaskSet Ensure(
        TaskSet fitness,
        IEnumerable<TaskSet> testSplits,
        bool allowTestSplitForFitness
    )
    {
        if (allowTestSplitForFitness)
            return fitness;
        var hashes = fitness.Items.Select(i => QuestionHash.Of(i.Question)).ToArray();
        foreach (var test in testSplits)
        {
            var held = test.Items.Select(i => QuestionHash.Of(i.Question)).ToHashSet();
            var overlap = hashes.Count(held.Contains);
            if (overlap > 0)
                throw new TestSplitForFitnessException(
                    fitness.SourcePath ?? fitness.Name,
                    test.SourcePath ?? test.Name,
                    overlap,
                    hashes.Length
                );
        }
        return fitness;
    }
}
