// The PS search of the paper in miniature (data/experiments/ps.yaml): DARE-TIES over the zoo's JA,
// MATH-A and MATH-B task vectors, CMA-ES over a density and a weight per model. Writes runs/ps/
// (runs/quick/ps/ under EVOMERGE_QUICK=1) and prints the validation table.
//     evomerge script scripts/01-evolve-ps.csx [-- budget]
// Same as `evomerge evolve data/experiments/ps.yaml --threads 1`.
#load "_setup.csx"
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Reports;
using EvoMerge.Evolution.Runs;

torch.set_num_threads(1);
int? budget = Args.Count > 0 ? int.Parse(Args[0]) : null;
var config = Experiment("ps", budget, quickBudget: 9);
var folder = NewRunFolder(RunName(config.Name));
Console.WriteLine(
    $"{config.Name}: budget {config.Budget}, seed {config.Seed}, sources {string.Join(", ", config.Sources.Select(Path.GetFileName))}"
);
var evaluator = CandidateEvaluators.Create(config, TorchRuntime.ResolveDevice(config.Device));
var result = RunSearch(config, evaluator, folder);
Console.WriteLine(File.ReadAllText(folder.File("best.yaml")));
Console.WriteLine($"| {config.Validation!.Name} | accuracy | items |");
Console.WriteLine("|---|---:|---:|");
foreach (var row in PsReport.Build(evaluator, result.BestGenome, config.Validation))
    Console.WriteLine($"| {row.Entry} | {100 * row.Accuracy:F1} % | {row.Items} |");
evaluator.Dispose();

// Charts beside the run (offline HTML, plotly.min.js written once next to them).
var log = folder.ReadLog();

double Spread(int generation)
{
    var f = log.Where(e => e.Generation == generation).Select(e => e.Fitness).ToArray();
    var mean = f.Average();
    return Math.Sqrt(f.Sum(x => (x - mean) * (x - mean)) / f.Length);
}

var fitness = FitnessChart.Create(
    folder
        .ReadGenerations()
        .Select(g => new FitnessPoint(g.Generation, g.Best, g.Mean, Spread(g.Generation)))
);
Console.WriteLine($"charts: {ChartFiles.SaveHtml(fitness, folder.File("fitness.html"))}");
