using System.Text.Json;
using EvoMerge.Common;
using EvoMerge.Evolution.Optimizers;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// The files of one run: <c>config.yaml</c> (copy), <c>log.jsonl</c> (one line per scored genome),
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

    public void SaveCheckpoint(RunCheckpoint checkpoint) =>
        AtomicFile.WriteAllText(Checkpoint, OptimizerJson.Serialize(checkpoint));

    public RunCheckpoint? LoadCheckpoint() =>
        System.IO.File.Exists(Checkpoint)
            ? OptimizerJson.Deserialize<RunCheckpoint>(System.IO.File.ReadAllText(Checkpoint))
            : null;

    /// <summary>Cuts a log back to its first <paramref name="lines"/> lines (what a checkpoint saw).</summary>
    public static void Truncate(string file, int lines)
    {
        if (!System.IO.File.Exists(file))
            return;
        var kept = System.IO.File.ReadLines(file).Where(l => l.Length > 0).Take(lines).ToArray();
        AtomicFile.WriteAllText(file, kept.Length == 0 ? "" : string.Join("\n", kept) + "\n");
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
