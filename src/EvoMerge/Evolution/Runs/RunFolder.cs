using System.Text.Json;
using EvoMerge.Common;
using EvoMerge.Evolution.Optimizers;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// The files of one run: <c>config.yaml</c> (the YAML as given), <c>config.json</c> (the effective
/// config that ran, see <see cref="EffectiveConfig"/>), <c>log.jsonl</c> (one line per scored genome),
/// <c>generations.jsonl</c> (one line per generation), <c>optimizer.json</c> (state after the last full
/// generation), the best phenotype (<c>best.yaml</c> or <c>best-path.json</c>) and <c>summary.json</c>.
/// Every file is replaced atomically; the logs are appended a whole generation at a time.
/// </summary>
public sealed class RunFolder(string path)
{
    static readonly JsonSerializerOptions Lines = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public string Path { get; } = System.IO.Path.GetFullPath(path);
    public string Config => System.IO.Path.Combine(Path, "config.yaml");
    public string EffectiveConfig => System.IO.Path.Combine(Path, "config.json");
    public string Log => System.IO.Path.Combine(Path, "log.jsonl");
    public string Generations => System.IO.Path.Combine(Path, "generations.jsonl");
    public string Checkpoint => System.IO.Path.Combine(Path, "optimizer.json");
    public string Summary => System.IO.Path.Combine(Path, "summary.json");

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void AppendLog(IEnumerable<RunLogEntry> entries) =>
        Append(Log, entries.Select(e => JsonSerializer.Serialize(e, Lines)));

    public void AppendGeneration(GenerationSummary summary) =>
        Append(Generations, [JsonSerializer.Serialize(summary, Lines)]);

    public IReadOnlyList<RunLogEntry> ReadLog() =>
        System.IO.File.Exists(Log)
            ? System
                .IO.File.ReadLines(Log)
                .Where(l => l.Length > 0)
                .Select(l => JsonSerializer.Deserialize<RunLogEntry>(l, Lines)!)
                .ToArray()
            : [];

    public IReadOnlyList<GenerationSummary> ReadGenerations() =>
        System.IO.File.Exists(Generations)
            ? System
                .IO.File.ReadLines(Generations)
                .Where(l => l.Length > 0)
                .Select(l => JsonSerializer.Deserialize<GenerationSummary>(l, Lines)!)
                .ToArray()
            : [];

    /// <summary>The entries a run writes (PS+DFS also keeps its merged model A in <c>model-a/</c>).</summary>
    static readonly HashSet<string> Written =
    [
        "config.yaml",
        "config.json",
        "log.jsonl",
        "generations.jsonl",
        "optimizer.json",
        "best.yaml",
        "best-path.json",
        "summary.json",
        "validation.json",
        "model-a",
    ];

    /// <summary>
    /// Before <c>--force</c> deletes the folder: it must hold the run's config.yaml and nothing but
    /// what a run writes (and AtomicFile's <c>.NAME.GUID.tmp</c> temps), so a mistyped name or
    /// <c>--runs</c> never deletes someone's files. Throws <see cref="RunFolderException"/>.
    /// </summary>
    public void EnsureOnlyRunFiles()
    {
        if (!System.IO.File.Exists(Config))
            throw new RunFolderException(
                Path,
                "has no config.yaml, so it is not a run folder; --force deletes only a run folder: choose another name or --runs"
            );
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path))
        {
            var name = System.IO.Path.GetFileName(entry);
            if (!Written.Contains(name) && !(name.StartsWith('.') && name.EndsWith(".tmp")))
                throw new RunFolderException(
                    entry,
                    "was not written by a run; --force deletes only a run folder holding nothing else: move it or choose another name"
                );
        }
    }

    /// <summary>Replaces config.json with the effective config.</summary>
    public void SaveConfig(ExperimentConfig config) =>
        AtomicFile.WriteAllText(EffectiveConfig, Runs.EffectiveConfig.ToJson(config));

    /// <summary>The effective config the run was started with.</summary>
    public ExperimentConfig LoadConfig() =>
        Runs.EffectiveConfig.FromJson(System.IO.File.ReadAllText(EffectiveConfig), EffectiveConfig);

    public void SaveCheckpoint(RunCheckpoint checkpoint) =>
        AtomicFile.WriteAllText(Checkpoint, OptimizerJson.Serialize(checkpoint));

    /// <summary>The saved state, or null when there is none; a damaged file is a <see cref="RunFolderException"/>.</summary>
    public RunCheckpoint? LoadCheckpoint()
    {
        if (!System.IO.File.Exists(Checkpoint))
            return null;
        try
        {
            return OptimizerJson.Deserialize<RunCheckpoint>(System.IO.File.ReadAllText(Checkpoint))
                ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new RunFolderException(
                Checkpoint,
                $"damaged optimizer state ({e.Message.ReplaceLineEndings(" ")}); the run cannot be resumed exactly: start it under a new name"
            );
        }
    }

    /// <summary>
    /// Before a resume: config.json, log.jsonl and generations.jsonl must exist and hold at least the
    /// lines <paramref name="checkpoint"/> saw, each valid JSON (lines after those, such as a torn
    /// last line of a killed run, are dropped by the resume). Throws <see cref="RunFolderException"/>.
    /// </summary>
    public void CheckResumable(RunCheckpoint checkpoint)
    {
        if (!System.IO.File.Exists(EffectiveConfig))
            throw new RunFolderException(
                EffectiveConfig,
                "missing: the run's config cannot be checked against the one given, so it is not resumed"
            );
        CheckLines(Log, checkpoint.LogLines, "evaluations");
        CheckLines(Generations, checkpoint.Generation, "generations");
    }

    static void CheckLines(string file, int expected, string what)
    {
        if (!System.IO.File.Exists(file))
            throw new RunFolderException(
                file,
                $"missing, but optimizer.json saw {expected} {what}; refusing to resume a damaged run"
            );
        var lines = System.IO.File.ReadLines(file).Where(l => l.Length > 0).Take(expected).ToList();
        if (lines.Count < expected)
            throw new RunFolderException(
                file,
                $"holds {lines.Count} lines but optimizer.json saw {expected} {what}; refusing to resume a damaged run"
            );
        for (int i = 0; i < lines.Count; i++)
        {
            try
            {
                using var _ = JsonDocument.Parse(lines[i]);
            }
            catch (JsonException)
            {
                throw new RunFolderException(
                    file,
                    $"line {i + 1} is not valid JSON (a torn or edited line within what optimizer.json saw); refusing to resume a damaged run"
                );
            }
        }
    }

    /// <summary>
    /// Cuts a log back to its first <paramref name="lines"/> lines (what a checkpoint saw). Returns
    /// what was dropped, as a clause naming the file (e.g. a torn last line of a killed run), or
    /// null when nothing was.
    /// </summary>
    public static string? Truncate(string file, int lines)
    {
        if (!System.IO.File.Exists(file))
            return null;
        var all = System.IO.File.ReadLines(file).Where(l => l.Length > 0).ToArray();
        var kept = all.Take(lines).ToArray();
        AtomicFile.WriteAllText(file, kept.Length == 0 ? "" : string.Join("\n", kept) + "\n");
        var dropped = all.Skip(lines).ToArray();
        if (dropped.Length == 0)
            return null;
        var torn = dropped.Count(l => !IsJson(l));
        var tail = IsJson(dropped[^1])
            ? null
            : $"({System.Text.Encoding.UTF8.GetByteCount(dropped[^1])} bytes, not valid JSON: {Preview(dropped[^1])})";
        var more =
            torn > (tail is null ? 0 : 1)
                ? $", {torn - (tail is null ? 0 : 1)} more not valid JSON"
                : "";
        var what = (dropped.Length, tail) switch
        {
            (1, not null) => $"a torn last line {tail}",
            (_, not null) => $"{dropped.Length} lines, the last one torn {tail}{more}",
            (1, null) => "1 complete line",
            _ => $"{dropped.Length} lines{more}",
        };
        return $"{file}: dropped {what} written after the last checkpoint";
    }

    static bool IsJson(string line)
    {
        try
        {
            using var _ = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    static string Preview(string line)
    {
        var clean = new string(line.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 40 ? clean : clean[..40] + "…";
    }

    static void Append(string file, IEnumerable<string> lines)
    {
        using var stream = new StreamWriter(
            file,
            append: true,
            new System.Text.UTF8Encoding(false)
        );
        foreach (var line in lines)
            stream.Write(line + "\n");
    }
}
