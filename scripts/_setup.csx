// Shared setup for every script in scripts/ and every notebook in notebooks/ (first cell:
// #load "../scripts/_setup.csx"). Namespace-free on purpose. Everything runs in the .NET
// Interactive kernel: VS Code Polyglot starts it for notebooks, and `evomerge notebook run` /
// `evomerge script` drive the same kernel (dotnet-interactive stdio) headless.
//
// One-time build step, at the repository root:
//     dotnet build -c Release
// so that the paths below exist (and again after pulling library changes).
#r "../src/EvoMerge.Cli/bin/Release/net10.0/TorchSharp.dll"
#r "../src/EvoMerge.Cli/bin/Release/net10.0/EvoMerge.dll"
#r "../src/EvoMerge.Cli/bin/Release/net10.0/EvoMerge.Plots.dll"

// The kernel's default usings lack System.IO; cells use Path, File and Directory too.
global using System.IO;
global using EvoMerge.Common;
global using EvoMerge.Plots;
global using EvoMerge.Runtime;
global using TorchSharp;
global using static TorchSharp.torch;

// Loads the patched libtorch glue from beside TorchSharp.dll (the kernel's own folder is not ours).
TorchRuntime.Initialize();

// Charts show as interactive Plotly (plotly.js inlined once per kernel session, so offline), and
// records, anonymous objects and sequences of them (or of tuples) as tables.
Microsoft.DotNet.Interactive.Formatting.Formatter.Register<PlotlyFigure>(
    (figure, writer) => writer.Write(NotebookCharts.Html(figure)),
    "text/html"
);
Microsoft.DotNet.Interactive.Formatting.Formatter.Register(
    typeof(object),
    (value, context) =>
    {
        HtmlTable.Write(
            value,
            context.Writer,
            v => Microsoft.DotNet.Interactive.Formatting.Formatter.ToDisplayString(v, "text/plain")
        );
        return true;
    },
    "text/html"
);

// Tensors show their shape, dtype and values.
Microsoft.DotNet.Interactive.Formatting.Formatter.Register<torch.Tensor>(
    (tensor, writer) => writer.Write(tensor.ToString(TorchSharp.TensorStringStyle.Julia)),
    "text/plain"
);

/// <summary>True when EVOMERGE_QUICK=1 (CI): every budget shrinks so a notebook runs in a minute or two.</summary>
static bool Quick => Environment.GetEnvironmentVariable("EVOMERGE_QUICK") == "1";

/// <summary>The full budget normally, the quick one under EVOMERGE_QUICK=1.</summary>
static int Budget(int full, int quick) => Quick ? quick : full;

/// <summary>The repository root (the folder holding EvoMerge.Notebooks.sln), found from this file's own path.</summary>
static string RepoRoot => FindRepoRoot(SetupFile());

/// <summary>runs/&lt;name&gt; under the repository root, created if missing (git-ignored).</summary>
static string OutputFolder(string name)
{
    var folder = Path.Combine(RepoRoot, "runs", name);
    Directory.CreateDirectory(folder);
    return folder;
}

static string SetupFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

static string FindRepoRoot(string start)
{
    foreach (var from in new[] { Path.GetDirectoryName(start), Environment.CurrentDirectory })
        for (var dir = from; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "EvoMerge.Notebooks.sln")))
                return dir;
    throw new DirectoryNotFoundException("EvoMerge.Notebooks.sln not found above " + start);
}

// ---- Experiments (data/experiments/*.yaml) for the evolve notebooks and scripts ----

/// <summary>
/// Loads data/experiments/&lt;name&gt;.yaml (or any YAML path). Under EVOMERGE_QUICK=1 the search shrinks
/// to <paramref name="quickBudget"/> evaluations, the fitness tasks to their first 16 items and the
/// validation task to 32, so a notebook runs in a minute or two; otherwise <paramref name="budget"/>
/// (default: the config's own) is used unchanged.
/// </summary>
static EvoMerge.Evolution.Runs.ExperimentConfig Experiment(
    string nameOrPath,
    int? budget = null,
    int quickBudget = 18
)
{
    var file = File.Exists(nameOrPath)
        ? nameOrPath
        : Path.Combine(RepoRoot, "data", "experiments", nameOrPath + ".yaml");
    var config = EvoMerge.Evolution.Runs.ExperimentConfigLoader.Load(file);
    if (!Quick)
        return budget is int b ? config with { Budget = b } : config;
    return config with
    {
        Budget = quickBudget,
        Fitness = EvoMerge.Common.ValueArray.ToValueArray(
            config.Fitness.Select(t => t with { Limit = t.Limit is > 0 and < 16 ? t.Limit : 16 })
        ),
        Validation = config.Validation is { } v ? v with { Limit = 32 } : null,
    };
}

/// <summary>
/// Where the experiment scripts keep a run: runs/&lt;name&gt; normally, runs/quick/&lt;name&gt; under
/// EVOMERGE_QUICK=1 (so a CI-sized run never replaces a real one).
/// </summary>
static string RunName(string name) => Quick ? Path.Combine("quick", name) : name;

/// <summary>runs/&lt;name&gt;/ emptied for a fresh run.</summary>
static EvoMerge.Evolution.Runs.RunFolder NewRunFolder(string name)
{
    var path = Path.Combine(RepoRoot, "runs", name);
    if (Directory.Exists(path))
        Directory.Delete(path, recursive: true);
    Directory.CreateDirectory(path);
    return new EvoMerge.Evolution.Runs.RunFolder(path);
}

/// <summary>
/// Runs a search into <paramref name="folder"/> (see <see cref="NewRunFolder"/>), printing one line per
/// generation. The caller owns (and disposes) <paramref name="evaluator"/>.
/// </summary>
static EvoMerge.Evolution.Runs.RunResult RunSearch(
    EvoMerge.Evolution.Runs.ExperimentConfig config,
    EvoMerge.Evolution.Candidates.ICandidateEvaluator evaluator,
    EvoMerge.Evolution.Runs.RunFolder folder
)
{
    int lastGeneration = -1;
    var progress = new EvoMerge.Common.SyncProgress<EvoMerge.Evolution.Runs.RunProgress>(p =>
    {
        if (p.Generation == lastGeneration)
            return;
        lastGeneration = p.Generation;
        Console.WriteLine(
            $"generation {p.Generation}: best so far {p.BestFitness:F3} ({p.Elapsed.TotalSeconds:F0} s)"
        );
    });
    var result = EvoMerge.Evolution.Runs.EvolutionRun.Run(
        config,
        evaluator,
        folder,
        resume: false,
        progress
    );
    Console.WriteLine(
        $"{config.Name}: best fitness {result.BestFitness:F3} after {result.Evaluations} evaluations in {result.Seconds:F0} s ({result.StopReason}); files in {Path.GetRelativePath(RepoRoot, folder.Path)}"
    );
    return result;
}
