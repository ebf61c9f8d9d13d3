namespace EvoMerge.Evaluation;

/// <summary>
/// Refuses to select on held-out data: fitness on a test split turns the final table into a training
/// score. mergekit's evolve refuses the same unless told explicitly.
/// </summary>
public static class FitnessSplitGuard
{
    /// <summary>Throws <see cref="TestSplitForFitnessException"/> when <paramref name="tasks"/> is a test split and the override is off.</summary>
    public static TaskSet Ensure(TaskSet tasks, bool allowTestSplitForFitness)
    {
        Ensure(tasks.Split, tasks.SourcePath ?? tasks.Name, allowTestSplitForFitness);
        return tasks;
    }

    /// <summary>Throws <see cref="TestSplitForFitnessException"/> when <paramref name="split"/> is <see cref="TaskSplit.Test"/> and the override is off.</summary>
    /// <param name="split">The split named for fitness.</param>
    /// <param name="source">The task file or name, for the message.</param>
    /// <param name="allowTestSplitForFitness">The config's explicit override.</param>
    public static void Ensure(TaskSplit split, string source, bool allowTestSplitForFitness)
    {
        if (split == TaskSplit.Test && !allowTestSplitForFitness)
            throw new TestSplitForFitnessException(source);
    }
}
