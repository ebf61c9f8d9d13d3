// Shared setup for every script in scripts/ and every notebook in notebooks/ (first cell:
// #load "../scripts/_setup.csx"). Namespace-free on purpose: dotnet-script, VS Code Polyglot and
// `evomerge script` / `evomerge notebook run` all read it the same way.
//
// One-time build step for VS Code Polyglot and dotnet-script users, at the repository root:
//     dotnet build -c Release
// so that the paths below exist. `evomerge script` and `evomerge notebook run` bind these #r lines
// to the copies they have already loaded (no Release build needed, and libtorch loads only once).
#r "../src/EvoMerge.Cli/bin/Release/net10.0/TorchSharp.dll"
#r "../src/EvoMerge.Cli/bin/Release/net10.0/EvoMerge.dll"
#r "../src/EvoMerge.Cli/bin/Release/net10.0/FSharp.Core.dll"
#r "../src/EvoMerge.Cli/bin/Release/net10.0/Plotly.NET.dll"
#r "../src/EvoMerge.Cli/bin/Release/net10.0/Plotly.NET.CSharp.dll"
#r "../src/EvoMerge.Cli/bin/Release/net10.0/EvoMerge.Plots.dll"

global using EvoMerge.Plots;
global using EvoMerge.Runtime;
global using TorchSharp;
global using static TorchSharp.torch;

TorchRuntime.Initialize();

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
