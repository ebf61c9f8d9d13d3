using System.Globalization;

namespace EvoMerge.Benchmarks;

/// <summary>This process's resident memory, from Linux's <c>/proc/self</c> (0 / false elsewhere).</summary>
public static class ProcessMemory
{
    const string Status = "/proc/self/status";

    /// <summary>
    /// Resets the peak (VmHWM) to the current resident set: writing 5 to <c>/proc/self/clear_refs</c>
    /// (Linux ≥ 4.0). False where that is not allowed, so a later peak still includes earlier work.
    /// </summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A memory field of <c>/proc/self/status</c> (VmRSS, VmHWM, RssAnon, …) in bytes; 0 where unavailable.</summary>
    public static long Bytes(string field)
    {
        if (!File.Exists(Status))
            return 0;
        foreach (var line in File.ReadLines(Status))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return 1024
                    * long.Parse(
                        line[(field.Length + 1)..].Trim().Split(' ')[0],
                        CultureInfo.InvariantCulture
                    );
        return 0;
    }
}
