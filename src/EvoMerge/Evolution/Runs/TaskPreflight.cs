using EvoMerge.Evaluation;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// What is checked before the first evaluation, so that bad task data fails in a second, not after
/// the search: every task file the config names (fitness, validation, held-in) is read in full
/// (a bad line is a <see cref="TaskFileException"/> naming file and line), and the fitness items are
/// checked against every test split beside them (<see cref="FitnessSplitGuard"/>).
/// </summary>
public static class TaskPreflight
{
    /// <summary>Throws <see cref="TaskFileException"/> or <see cref="TestSplitForFitnessException"/>; returns the test splits it compared against.</summary>
    public static IReadOnlyList<string> Check(ExperimentConfig config)
    {
        var tasks = config
            .Fitness.Append(config.Validation)
            .Concat(config.HeldIn)
            .OfType<FitnessTask>()
            .ToArray();
        var loaded = new Dictionary<string, TaskSet>(StringComparer.Ordinal);
        TaskSet Load(string file) =>
            loaded.TryGetValue(file, out var set) ? set : loaded[file] = TaskSetLoader.Load(file);
        foreach (var task in tasks)
            Load(task.File);
        TaskSet LoadTest(string file)
        {
            try
            {
                return Load(file);
            }
            catch (TaskFileException e)
            {
                throw new TaskFileException(
                    e.FilePath,
                    e.Line,
                    $"{e.Problem} (read as a test split, to check the fitness items against it)",
                    e
                );
            }
        }
        if (config.AllowTestSplitForFitness)
            return [];
        var testFiles = FitnessSplitGuard.TestFilesIn(SearchFolders(config, tasks));
        var testSets = testFiles.Select(LoadTest).ToArray();
        foreach (var task in config.Fitness)
        {
            var set = Load(task.File);
            FitnessSplitGuard.Ensure(
                task.Limit > 0 ? set.Take(task.Limit) : set,
                testSets,
                allowTestSplitForFitness: false
            );
        }
        return testFiles;
    }

    /// <summary>
    /// Where test splits are looked for: the folder of every task file (the link's and the
    /// target's), the config's folder and its subfolders (one level: a copy of a test file in
    /// <c>other/</c> is compared against <c>tasks/*_test.jsonl</c>).
    /// </summary>
    static IEnumerable<string> SearchFolders(
        ExperimentConfig config,
        IEnumerable<FitnessTask> tasks
    )
    {
        foreach (var task in tasks)
        {
            yield return Path.GetDirectoryName(task.File)!;
            yield return Path.GetDirectoryName(FitnessSplitGuard.Resolved(task.File))!;
        }
        if (config.SourceFile is null || Path.GetDirectoryName(config.SourceFile) is not { } home)
            yield break;
        yield return home;
        string[] below;
        try
        {
            below = Directory.GetDirectories(home);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var folder in below)
            yield return folder;
    }
}
