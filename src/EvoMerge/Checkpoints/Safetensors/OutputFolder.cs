using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>
/// The rules for the folder a checkpoint is written to: the tool only ever replaces a folder it
/// wrote itself (it carries <see cref="MarkerFileName"/>) or an empty one, and it recognises and
/// tidies the staging (<c>.NAME.tmp-PID-GUID</c>) and backup (<c>….old</c>) folders that a killed
/// writer leaves beside the target.
/// </summary>
public static class OutputFolder
{
    /// <summary>The provenance file every checkpoint written by <see cref="CheckpointWriter"/> carries.</summary>
    public const string MarkerFileName = "evomerge_provenance.json";

    /// <summary>The marker's "tool" value.</summary>
    public const string Tool = "evomerge";

    /// <summary>True when <paramref name="folder"/> holds a provenance file this tool wrote.</summary>
    public static bool IsOwnOutput(string folder)
    {
        var marker = Path.Combine(folder, MarkerFileName);
        if (!File.Exists(marker))
            return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(marker)) is JsonObject o
                && o["tool"] is JsonValue v
                && v.TryGetValue<string>(out var tool)
                && tool == Tool;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="folder"/> exists and holds no entries.</summary>
    public static bool IsEmpty(string folder) =>
        Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any();

    /// <summary>
    /// Refuses a target that must not be replaced: a file, a non-empty folder this tool did not write,
    /// or (without <paramref name="overwrite"/>) an earlier output of this tool.
    /// </summary>
    public static void EnsureReplaceable(string target, bool overwrite)
    {
        var full = Path.GetFullPath(target);
        if (File.Exists(full))
            throw new OutputFolderException(full, "exists and is a file, not a checkpoint folder");
        if (!Directory.Exists(full) || IsEmpty(full))
            return;
        if (!IsOwnOutput(full))
            throw new OutputFolderException(
                full,
                $"is not empty and is not a checkpoint written by evomerge (no {MarkerFileName}); "
                    + "refusing to replace it even with --overwrite: choose a new or empty folder"
            );
        if (!overwrite)
            throw new OutputFolderException(
                full,
                "already holds an evomerge checkpoint; pass --overwrite to replace it"
            );
    }

    /// <summary>The staging folder name for <paramref name="target"/> in this process.</summary>
    internal static string StagingPath(string target) =>
        Path.Combine(
            Path.GetDirectoryName(target) ?? ".",
            $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}"
        );

    /// <summary>
    /// Tidies what killed writers left beside <paramref name="target"/>: a backup (<c>.old</c>) is
    /// moved back when the target is missing (a kill between the two renames) and deleted otherwise;
    /// staging folders of processes that are no longer running are deleted. Folders of a live
    /// process are left alone. Returns one line describing what was done, or null when nothing was.
    /// </summary>
    public static string? RecoverLeftovers(string target)
    {
        var full = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(full);
        if (parent is null || !Directory.Exists(parent))
            return null;
        var pattern = new Regex(
            "^\\." + Regex.Escape(Path.GetFileName(full)) + "\\.tmp-(\\d+)-[0-9a-f]{32}(\\.old)?$",
            RegexOptions.CultureInvariant
        );
        var leftovers = Directory
            .EnumerateDirectories(parent)
            .Select(d => (Path: d, Match: pattern.Match(Path.GetFileName(d))))
            .Where(x => x.Match.Success && !IsRunning(int.Parse(x.Match.Groups[1].Value)))
            .OrderBy(x => x.Path, StringComparer.Ordinal)
            .ToList();
        if (leftovers.Count == 0)
            return null;
        var said = new List<string>();
        foreach (var (path, match) in leftovers.Where(x => x.Match.Groups[2].Success))
        {
            if (!Directory.Exists(full) && IsOwnOutput(path))
            {
                Directory.Move(path, full);
                said.Add(
                    $"restored {full} from {Path.GetFileName(path)} (a merge was killed mid-swap)"
                );
            }
        }
        long bytes = 0;
        int removed = 0;
        foreach (var (path, _) in leftovers)
        {
            if (!Directory.Exists(path))
                continue;
            bytes += Directory
                .EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Sum(f => new FileInfo(f).Length);
            Directory.Delete(path, recursive: true);
            removed++;
        }
        if (removed > 0)
            said.Add(
                $"removed {removed} leftover temp folder(s) of interrupted writes to {Path.GetFileName(full)} ({bytes / 1e6:0.0} MB)"
            );
        return string.Join("; ", said);
    }

    static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
            return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The provenance file's text.</summary>
    internal static string MarkerText(
        IReadOnlyList<string> shards,
        int tensors,
        IReadOnlyDictionary<string, string>? provenance
    )
    {
        var o = new JsonObject
        {
            ["tool"] = Tool,
            ["version"] = typeof(OutputFolder).Assembly.GetName().Version?.ToString() ?? "unknown",
            ["written_utc"] = DateTime.UtcNow.ToString("o"),
            ["tensors"] = tensors,
            ["shards"] = new JsonArray(shards.Select(s => (JsonNode)s).ToArray()),
        };
        if (provenance is not null)
            foreach (var (key, value) in provenance)
                o[key] = value;
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
