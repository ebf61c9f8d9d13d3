namespace EvoMerge.Evaluation;

/// <summary>A config names a test split for fitness without <c>allow_test_split_for_fitness: true</c>.</summary>
public sealed class TestSplitForFitnessException(string source)
    : InvalidOperationException(
        $"{source} is a test split and cannot be used for fitness: select on a train split and keep "
            + "test held out for the final table. Set allow_test_split_for_fitness: true to override "
            + "(the test score is then no longer a held-out result)."
    )
{
    /// <summary>The task file or name that was refused.</summary>
    public string TaskSource { get; } = source;
}
