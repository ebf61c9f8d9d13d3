namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Scripts and notebooks run with the current directory set to their own folder (as VS Code
/// Polyglot runs a notebook, so <c>File.ReadAllText("data.json")</c> means the file beside it) and,
/// for notebooks, with Console redirected. Both are process-wide, so runs in one process take turns.
/// </summary>
public static class ScriptExecutionGate
{
    static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Waits for other runs to finish, then sets the current directory until disposed.</summary>
    public static async Task<IDisposable> EnterAsync(string folder, CancellationToken cancel)
    {
        await Gate.WaitAsync(cancel);
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = folder;
        }
        catch
        {
            Gate.Release();
            throw;
        }
        return new Exit(previous);
    }

    sealed class Exit(string previous) : IDisposable
    {
        int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1)
                return;
            Environment.CurrentDirectory = previous;
            Gate.Release();
        }
    }
}
