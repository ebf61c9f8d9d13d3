using EvoMerge.Common;

namespace EvoMerge.Evolution.Runs;

/// <summary>Which search an experiment runs.</summary>
public enum SearchMode
{
    /// <summary>Parameter space: CMA-ES over DARE-TIES densities and weights.</summary>
    Ps,

    /// <summary>Data-flow space: CMA-ES over a layer path through models A and B.</summary>
    Dfs,

    /// <summary>DFS where model A is the merge of a PS recipe.</summary>
    PsDfs,

    /// <summary>Parameter space, multi-objective (NSGA-II): one objective per fitness task.</summary>
    Nsga2,
}

/// <summary>A task scored during the search (on its training split) or for reporting.</summary>
/// <param name="File">JSONL task file (absolute after loading).</param>
/// <param name="Limit">Use the first N items (0 = all).</param>
/// <param name="Prompt">Prompt template with {question}.</param>
/// <param name="Metric">exact-match, ja-exact-match or rouge-l.</param>
/// <param name="MaxNewTokens">Generation budget per answer.</param>
/// <param name="BatchSize">Prompts per generation batch.</param>
public sealed record FitnessTask(
    string File,
    int Limit,
    string Prompt,
    string Metric,
    int MaxNewTokens = 40,
    int BatchSize = 64
)
{
    /// <summary>A short name for logs: the file name without extension.</summary>
    public string Name => Path.GetFileNameWithoutExtension(File);
}

/// <summary>
/// One evolutionary run, as read from its YAML config (see configs in scripts/ and README). Paths are
/// absolute after loading (the YAML's are relative to the YAML file). Immutable: the run copies it
/// into its folder, and a resumed run must find the same config.
/// </summary>
public sealed record ExperimentConfig
{
    public required string Name { get; init; }
    public required SearchMode Mode { get; init; }
    public ulong Seed { get; init; } = 1;
    public string Device { get; init; } = "auto";

    /// <summary>Evaluation budget (candidates scored).</summary>
    public int Budget { get; init; } = 100;

    /// <summary>λ; null = CMA-ES's default 4 + ⌊3 ln n⌋ (NSGA-II: 16).</summary>
    public int? Population { get; init; }

    /// <summary>σ₀ (the paper: 1/6 on [0, 1] genes).</summary>
    public double Sigma { get; init; } = 1.0 / 6;

    // ---- PS ----
    public string? BaseModel { get; init; }
    public ValueArray<string> Sources { get; init; } = ValueArray<string>.Empty;
    public string Method { get; init; } = "dare_ties";
    public int LayerGroups { get; init; } = 1;

    // ---- DFS ----
    /// <summary>Model A: a checkpoint folder, or (ps+dfs) a PS recipe YAML merged in memory.</summary>
    public string? ModelA { get; init; }
    public string? ModelB { get; init; }
    public int Repeats { get; init; } = 2;
    public bool EvolveScales { get; init; } = true;

    /// <summary>Initial indicator value of the slots off model A's own path (the paper: 0).</summary>
    public double InitialOff { get; init; } = -0.5;

    // ---- tasks ----
    public required ValueArray<FitnessTask> Fitness { get; init; }

    /// <summary>
    /// Each source's own task, in source order (null where a source has none): what
    /// <c>evomerge probe</c> scores retention on. Not used by the search.
    /// </summary>
    public ValueArray<FitnessTask?> HeldIn { get; init; } = ValueArray<FitnessTask?>.Empty;

    /// <summary>Scored for the final report only (never for selection).</summary>
    public FitnessTask? Validation { get; init; }

    /// <summary>Refuse test splits for fitness unless this is set (mergekit's evo does the same).</summary>
    public bool AllowTestSplitForFitness { get; init; }

    /// <summary>Where the YAML came from (relative paths resolve against its folder).</summary>
    public string? SourceFile { get; init; }
}
