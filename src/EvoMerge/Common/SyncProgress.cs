namespace EvoMerge.Common;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, in order
/// (<see cref="Progress{T}"/> posts to the thread pool, which reorders console lines).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
