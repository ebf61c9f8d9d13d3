namespace EvoMerge.Evaluation;

/// <summary>Fitness items are questions of a test split and the config lacks <c>allow_test_split_for_fitness: true</c>.</summary>
public sealed class TestSplitForFitnessException(
    string fitnessFile,
    string testFile,
    int overlapping,
    int items
)
    : InvalidOperationException(
        $"{Described(fitnessFile)}: {overlapping} of its {items} fitness items are questions of the test split "
            + $"{testFile}; select on a train split and keep test held out for the final table. Set "
            + "allow_test_split_for_fitness: true in the config to override (the test score is then no longer a held-out result)."
    )
{
    /// <summary>The fitness task file that was refused.</summary>
    public string TaskSource { get; } = fitnessFile;

    /// <summary>The test split its questions come from.</summary>
    public string TestFile { get; } = testFile;

    /// <summary>How many of the fitness items are test questions.</summary>
    public int Overlapping { get; } = overlapping;

    static string Described(string file)
    {
        var target = FitnessSplitGuard.Resolved(file);
        return target == Path.GetFullPath(file) ? file : $"{file} (a link to {target})";
    }
}
