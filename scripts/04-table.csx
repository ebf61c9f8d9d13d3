// The paper's Table 1 in miniature, on the held-out TEST split (data/tasks/ja_math_test.jsonl):
// JA, MATH-A, MATH-B, untuned TIES, untuned DARE-TIES, evolved PS, evolved DFS, PS+DFS, reading the
// best genomes of runs/ps, runs/dfs and runs/ps-dfs (summary.json; run scripts 01-03 first). Prints
// the table and writes runs/table.md. Under EVOMERGE_QUICK=1 it reads runs/quick/ and scores only
// the first 32 test items. Entries whose run is missing are listed as "not run".
//     evomerge script scripts/04-table.csx
#load "_setup.csx"
using System.Text.Json;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Reports;
using EvoMerge.Evolution.Runs;

torch.set_num_threads(1);
var device = TorchRuntime.ResolveDevice("auto");
var runs = Path.Combine(RepoRoot, "runs", Quick ? "quick" : "");
var rows = new List<ReportRow>();
var missing = new List<(string Entry, string Note)>();
var clock = System.Diagnostics.Stopwatch.StartNew();

// The test task: the validation task of each config with its file swapped for the test split.
FitnessTask TestTask(ExperimentConfig config) =>
    config.Validation! with
    {
        File = Path.Combine(RepoRoot, "data", "tasks", "ja_math_test.jsonl"),
        Limit = Quick ? 32 : 0,
    };

RunResult? Summary(string name)
{
    var file = Path.Combine(runs, name, "summary.json");
    return File.Exists(file) ? JsonSerializer.Deserialize<RunResult>(File.ReadAllText(file)) : null;
}

void Add(ReportRow row) => rows.Add(row);

void Missing(string entry, string run) =>
    missing.Add(
        (entry, $"not run ({Path.GetRelativePath(RepoRoot, Path.Combine(runs, run))} missing)")
    );

// Sources, untuned merges and evolved PS share the PS evaluator (sources loaded once).
var psConfig = Experiment("ps");
var test = TestTask(psConfig);
using (var ps = CandidateEvaluators.Create(psConfig, device))
{
    var psSpace = ((PsGenomeSpace)ps.Space).Space;
    if (Summary("ps") is { } psRun)
        foreach (var row in PsReport.Build(ps, psRun.BestGenome, test))
            Add(row);
    else
    {
        var baselines = psSpace
            .Sources.Select(s => (s, PsReport.Single(s)))
            .Append(("untuned TIES", PsReport.Untuned("ties", psSpace)))
            .Append(("untuned DARE-TIES", PsReport.Untuned("dare_ties", psSpace)));
        foreach (var (entry, recipe) in baselines)
        {
            Add(ReportRow.From(entry, ps.Score(new MergePhenotype(recipe), test)));
        }
        Missing("evolved PS", "ps");
    }
}

// Evolved DFS and PS+DFS: the last row of each DFS report (the evolved path).
foreach (
    var (entry, name, configFile) in new[]
    {
        ("evolved DFS", "dfs", Path.Combine(RepoRoot, "data", "experiments", "dfs.yaml")),
        (
            "PS+DFS",
            "ps-dfs",
            Quick
                ? Path.Combine(runs, "ps-dfs.yaml")
                : Path.Combine(RepoRoot, "data", "experiments", "ps-dfs.yaml")
        ),
    }
)
{
    var run = Summary(name);
    if (run is null || !File.Exists(configFile))
    {
        Missing(entry, name);
        continue;
    }
    var config = ExperimentConfigLoader.Load(configFile);
    using var dfs = CandidateEvaluators.Create(config, device);
    var path = (PathPhenotype)dfs.Space.Decode(run.BestGenome);
    var result = dfs.Score(path, TestTask(config));
    Add(ReportRow.From($"{entry} ({path.Path.Length} layers)", result));
}

// Paired tests over the same test items (exact McNemar): evolved PS against every other row.
var evolved = rows.FirstOrDefault(r => r.Entry == "evolved PS");

string Versus(ReportRow row) =>
    evolved is null || object.ReferenceEquals(row, evolved) || evolved.Against(row) is not { } t
        ? ""
        : $"{t.P:G2} ({t.OnlyFirst} vs {t.OnlySecond})";

var table = new System.Text.StringBuilder()
    .AppendLine(
        $"Test split ({test.Name}, {test.Metric}: correct and in Japanese){(Quick ? ", quick mode: first 32 items" : "")}"
    )
    .AppendLine()
    .AppendLine(
        "| entry | accuracy | items | evolved PS vs this: McNemar p (items only PS / only this) |"
    )
    .AppendLine("|---|---:|---:|---|");
foreach (var row in rows)
    table.AppendLine($"| {row.Entry} | {100 * row.Accuracy:F1} % | {row.Items} | {Versus(row)} |");
foreach (var (entry, note) in missing)
    table.AppendLine($"| {entry} | {note} | | |");
table.AppendLine().AppendLine($"Scored in {clock.Elapsed.TotalSeconds:F0} s.");
Directory.CreateDirectory(runs);
var output = Path.Combine(runs, "table.md");
File.WriteAllText(output, table.ToString());
Console.Write(table);
Console.WriteLine($"written to {Path.GetRelativePath(RepoRoot, output)}");
