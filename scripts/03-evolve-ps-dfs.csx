// PS+DFS (data/experiments/ps-dfs.yaml): the PS search's best recipe (runs/ps/best.yaml) is merged and
// becomes model A; DFS routes tokens through its layers and the JA model's. Runs the PS search first
// when runs/ps/best.yaml does not exist yet. Under EVOMERGE_QUICK=1 everything lives in runs/quick/.
//     evomerge script scripts/03-evolve-ps-dfs.csx [-- budget]
#load "_setup.csx"
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Reports;
using EvoMerge.Evolution.Runs;

torch.set_num_threads(1);
int? budget = Args.Count > 0 ? int.Parse(Args[0]) : null;
var device = TorchRuntime.ResolveDevice("auto");
var psFolder = new RunFolder(Path.Combine(RepoRoot, "runs", RunName("ps")));
if (!File.Exists(psFolder.File("best.yaml")))
{
    Console.WriteLine(
        $"{psFolder.File("best.yaml")} is missing: running the PS search first (scripts/01-evolve-ps.csx)"
    );
    var psConfig = Experiment("ps", quickBudget: 9);
    psFolder = NewRunFolder(RunName("ps"));
    using var ps = CandidateEvaluators.Create(psConfig, device);
    RunSearch(psConfig, ps, psFolder);
}

// The shipped config reads ../../runs/ps/best.yaml; a quick run points it at runs/quick/ps instead
// (the config is copied next to the runs, with its relative paths rewritten).
var configFile = Path.Combine(RepoRoot, "data", "experiments", "ps-dfs.yaml");
if (Quick)
{
    var quickFile = Path.Combine(RepoRoot, "runs", "quick", "ps-dfs.yaml");
    File.WriteAllText(
        quickFile,
        File.ReadAllText(configFile)
            .Replace("../../runs/ps/best.yaml", "ps/best.yaml")
            .Replace("../zoo/", "../../data/zoo/")
            .Replace("../tasks/", "../../data/tasks/")
    );
    configFile = quickFile;
}
var config = Experiment(configFile, budget, quickBudget: 16);
if (Quick)
    config = config with { Population = 8 };
var folder = NewRunFolder(RunName(config.Name));
var evaluator = CandidateEvaluators.Create(config, device);
Console.WriteLine(
    $"{config.Name}: model A = {config.ModelA} merged in memory, model B = {config.ModelB}, budget {config.Budget}"
);
var result = RunSearch(config, evaluator, folder);
Console.WriteLine(File.ReadAllText(folder.File("best-path.json")));
Console.WriteLine($"| {config.Validation!.Name} | accuracy | items |");
Console.WriteLine("|---|---:|---:|");
foreach (var row in DfsReport.Build(evaluator, result.BestGenome, config.Validation))
    Console.WriteLine($"| {row.Entry} | {100 * row.Accuracy:F1} % | {row.Items} |");
evaluator.Dispose();
