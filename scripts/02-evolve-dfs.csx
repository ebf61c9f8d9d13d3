// The DFS search (data/experiments/dfs.yaml): a layer path through the zoo's JA (model A) and MATH-A
// models, CMA-ES over the slot indicators and the scale matrix. Writes runs/dfs/ (runs/quick/dfs/
// under EVOMERGE_QUICK=1) and prints the validation table.
//     evomerge script scripts/02-evolve-dfs.csx [-- budget]
#load "_setup.csx"
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Reports;
using EvoMerge.Evolution.Runs;

torch.set_num_threads(1);
int? budget = Args.Count > 0 ? int.Parse(Args[0]) : null;
var config = Experiment("dfs", budget, quickBudget: 16);
if (Quick)
    config = config with { Population = 8 };
var folder = NewRunFolder(RunName(config.Name));
var space = ((DfsGenomeSpace)GenomeSpaces.Create(config)).Space; // pure: config.json only
Console.WriteLine(
    $"{config.Name}: budget {config.Budget}, {space.Dimension} genes ({space.Slots} slots over {space.ModelA} + {space.ModelB})"
);
var evaluator = CandidateEvaluators.Create(config, TorchRuntime.ResolveDevice(config.Device));
var result = RunSearch(config, evaluator, folder);
Console.WriteLine(File.ReadAllText(folder.File("best-path.json")));
Console.WriteLine($"| {config.Validation!.Name} | accuracy | items |");
Console.WriteLine("|---|---:|---:|");
foreach (var row in DfsReport.Build(evaluator, result.BestGenome, config.Validation))
    Console.WriteLine($"| {row.Entry} | {100 * row.Accuracy:F1} % | {row.Items} |");
evaluator.Dispose();

// The best path drawn as a sequence, beside the run (offline HTML).
var best = EvoMerge.Routing.LayerPath.Load(folder.File("best-path.json"));
var chart = LayerUsageChart.Path(best.Steps);
Console.WriteLine($"chart: {ChartFiles.SaveHtml(chart, folder.File("best-path.html"))}");
