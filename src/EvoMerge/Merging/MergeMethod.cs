namespace EvoMerge.Merging;

/// <summary>How a task vector is thinned before it is weighted (mergekit's sparsification_method).</summary>
public enum Sparsification
{
    /// <summary>Keep every element.</summary>
    None,

    /// <summary>Keep the largest-magnitude fraction <c>density</c> (TIES).</summary>
    Magnitude,

    /// <summary>Keep each element with probability <c>density</c> (DARE).</summary>
    Random,

    /// <summary>Drop the largest fraction <c>gamma</c>, then the smallest, keeping <c>density</c> (Model Breadcrumbs).</summary>
    MagnitudeOutliers,

    /// <summary>Keep each element with a probability rising with its magnitude rank in its row, density ± epsilon (DELLA MagPrune).</summary>
    Della,

    /// <summary>Keep the top <c>select_topk</c> fraction of positions by variance across the task vectors, one mask for all (SCE).</summary>
    Variance,

    /// <summary>Keep elements with |τ| &gt; epsilon (RAM).</summary>
    Threshold,
}

/// <summary>Sign election across task vectors (mergekit's consensus_method).</summary>
public enum Consensus
{
    /// <summary>No election: every weighted task vector is summed.</summary>
    None,

    /// <summary>The sign of the summed weighted task vectors wins (the TIES paper's rule).</summary>
    Sum,

    /// <summary>The sign held by more task vectors wins.</summary>
    Count,

    /// <summary>The sign of the summed unweighted task vectors wins (SCE's erase step).</summary>
    UnweightedSum,
}

/// <summary>
/// How a randomly or magnitude-thinned task vector is scaled back up when <c>rescale</c> is on.
/// <see cref="InverseKeepProbability"/> is the default: it is the DARE and DELLA papers' own
/// rule (divide each kept element by its keep probability, so E[kept] equals the original
/// element exactly), it is what mergekit did when the Sakana evolutionary-merge paper ran its
/// dare_ties merges (early 2024), and it needs no reduction over the tensor, so the merge stays
/// one streaming pass. <see cref="L1Norm"/> is mergekit's current rule (scale the thinned vector
/// so its L1 norm equals the original's); choose it with the global parameter
/// <c>rescale_mode: l1</c>.
/// </summary>
public enum RescaleMode
{
    /// <summary>Divide kept elements by their keep probability (1/density for DARE).</summary>
    InverseKeepProbability,

    /// <summary>Match the L1 norm of the unthinned task vector (mergekit ≥ 0.1).</summary>
    L1Norm,
}

/// <summary>
/// A merge method, a closed set with mergekit's names. TIES, DARE, breadcrumbs and DELLA are not
/// separate algorithms: they are presets of one generalized task-arithmetic operator
/// (<see cref="TaskArithmeticMethod"/>), each citing its paper.
/// </summary>
public abstract record MergeMethod(string Name, string PaperUrl)
{
    /// <summary>True when the method cannot run without <c>base_model</c>.</summary>
    public virtual bool RequiresBase => false;

    /// <summary>Per-model parameters the method reads (mergekit's tensor_parameters).</summary>
    public virtual IReadOnlyList<string> ModelParameters => [];

    /// <summary>Global parameters the method reads (mergekit's parameters), beyond the per-model ones.</summary>
    public virtual IReadOnlyList<string> GlobalParameters => [];

    /// <summary>Linear weighted average (model soups).</summary>
    public static readonly LinearMethod Linear = new();

    /// <summary>Task arithmetic: base + λ Σ wᵢ (modelᵢ − base).</summary>
    public static readonly TaskArithmeticMethod TaskArithmetic = new(
        "task_arithmetic",
        "https://arxiv.org/abs/2212.04089",
        Sparsification.None,
        Consensus.None,
        DefaultNormalize: false,
        DefaultRescale: false
    );

    /// <summary>TIES: magnitude trimming + sum sign election + disjoint mean.</summary>
    public static readonly TaskArithmeticMethod Ties = new(
        "ties",
        "https://arxiv.org/abs/2306.01708",
        Sparsification.Magnitude,
        Consensus.Sum,
        DefaultNormalize: true,
        DefaultRescale: false
    );

    /// <summary>DARE drop-and-rescale + TIES sign election (the Sakana paper's PS operator).</summary>
    public static readonly TaskArithmeticMethod DareTies = new(
        "dare_ties",
        "https://arxiv.org/abs/2311.03099",
        Sparsification.Random,
        Consensus.Sum,
        DefaultNormalize: false,
        DefaultRescale: true
    );

    /// <summary>DARE drop-and-rescale, summed without sign election.</summary>
    public static readonly TaskArithmeticMethod DareLinear = new(
        "dare_linear",
        "https://arxiv.org/abs/2311.03099",
        Sparsification.Random,
        Consensus.None,
        DefaultNormalize: false,
        DefaultRescale: true
    );

    /// <summary>Model Breadcrumbs: drop outliers and small values.</summary>
    public static readonly TaskArithmeticMethod Breadcrumbs = new(
        "breadcrumbs",
        "https://arxiv.org/abs/2312.06795",
        Sparsification.MagnitudeOutliers,
        Consensus.None,
        DefaultNormalize: false,
        DefaultRescale: false
    );

    /// <summary>Model Breadcrumbs with TIES sign election.</summary>
    public static readonly TaskArithmeticMethod BreadcrumbsTies = new(
        "breadcrumbs_ties",
        "https://arxiv.org/abs/2312.06795",
        Sparsification.MagnitudeOutliers,
        Consensus.Sum,
        DefaultNormalize: false,
        DefaultRescale: false
    );

    /// <summary>DELLA: magnitude-ranked stochastic pruning + sign election.</summary>
    public static readonly TaskArithmeticMethod Della = new(
        "della",
        "https://arxiv.org/abs/2406.11617",
        Sparsification.Della,
        Consensus.Sum,
        DefaultNormalize: true,
        DefaultRescale: true
    );

    /// <summary>DELLA without sign election.</summary>
    public static readonly TaskArithmeticMethod DellaLinear = new(
        "della_linear",
        "https://arxiv.org/abs/2406.11617",
        Sparsification.Della,
        Consensus.None,
        DefaultNormalize: false,
        DefaultRescale: true
    );

    /// <summary>SCE: variance-selected positions, sign-consensus erase, matrix-level mean-square weights.</summary>
    public static readonly TaskArithmeticMethod Sce = new(
        "sce",
        "https://arxiv.org/abs/2408.07990",
        Sparsification.Variance,
        Consensus.UnweightedSum,
        DefaultNormalize: true,
        DefaultRescale: false
    )
    {
        Weighting = TermWeighting.MeanSquare,
        DivisorFloor = 1e-6,
    };

    /// <summary>RAM: |τ| &gt; epsilon positions; unique ones taken as they are, shared ones averaged.</summary>
    public static readonly TaskArithmeticMethod Ram = new(
        "ram",
        "https://arxiv.org/abs/2601.13572",
        Sparsification.Threshold,
        Consensus.None,
        DefaultNormalize: true,
        DefaultRescale: false
    )
    {
        Averaging = Averaging.ActiveCount,
    };

    /// <summary>RAM+ (tensor-local): RAM with each model's unique positions boosted by how much it shares.</summary>
    public static readonly TaskArithmeticMethod RamPlusTl = Ram with
    {
        Name = "ramplus_tl",
        Boosted = true,
    };

    /// <summary>Spherical interpolation of two models.</summary>
    public static readonly SlerpMethod Slerp = new();

    /// <summary>mergekit's multislerp: weighted barycentric interpolation of any number of models on the sphere.</summary>
    public static readonly MultiSlerpMethod MultiSlerp = new();

    /// <summary>Karcher mean of the models on the sphere.</summary>
    public static readonly KarcherMethod Karcher = new();

    /// <summary>NearSwap: the other model where it is close to the base.</summary>
    public static readonly NearSwapMethod NearSwap = new();

    /// <summary>Arcee Fusion: the other model where its change is an importance outlier.</summary>
    public static readonly ArceeFusionMethod ArceeFusion = new();

    /// <summary>mergekit's NuSLERP (weights instead of t, optional base for task vectors).</summary>
    public static readonly NuSlerpMethod NuSlerp = new();

    /// <summary>Model Stock: interpolate the models' average toward the base by their angle.</summary>
    public static readonly ModelStockMethod ModelStock = new();

    /// <summary>Copy tensors unchanged (frankenmerges with slices).</summary>
    public static readonly PassthroughMethod Passthrough = new();

    /// <summary>Every method, in mergekit's registry order.</summary>
    public static IReadOnlyList<MergeMethod> All { get; } =
    [
        Linear,
        Slerp,
        NuSlerp,
        Passthrough,
        ModelStock,
        TaskArithmetic,
        Ties,
        DareTies,
        DareLinear,
        Breadcrumbs,
        BreadcrumbsTies,
        Della,
        DellaLinear,
        Sce,
        Ram,
        RamPlusTl,
        MultiSlerp,
        Karcher,
        NearSwap,
        ArceeFusion,
    ];

    /// <summary>The method named <paramref name="name"/>, or null.</summary>
    public static MergeMethod? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}

/// <summary>Weighted average of the models (normalized by the weights' sum unless normalize is false).</summary>
public sealed record LinearMethod() : MergeMethod("linear", "https://arxiv.org/abs/2203.05482")
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> ModelParameters => ["weight"];
}

/// <summary>
/// The generalized task-arithmetic operator: task vectors (model − base) → sparsify → weight →
/// optional sign consensus → optional normalize → λ → add to base.
/// </summary>
public sealed record TaskArithmeticMethod(
    string Name,
    string PaperUrl,
    Sparsification Sparsification,
    Consensus Consensus,
    bool DefaultNormalize,
    bool DefaultRescale
) : MergeMethod(Name, PaperUrl)
{
    /// <summary>Where each term's weight comes from (SCE computes it from the task vectors).</summary>
    public TermWeighting Weighting { get; init; } = TermWeighting.Given;

    /// <summary>The smallest agreeing-weight divisor, or null for "a zero divisor becomes 1".</summary>
    public double? DivisorFloor { get; init; }

    /// <summary>What the normalized sum is divided by.</summary>
    public Averaging Averaging { get; init; } = Averaging.WeightSum;

    /// <summary>RAM+: unique positions are boosted (global r, alpha).</summary>
    public bool Boosted { get; init; }

    /// <inheritdoc/>
    public override bool RequiresBase => true;

    /// <inheritdoc/>
    public override IReadOnlyList<string> ModelParameters =>
        Sparsification switch
        {
            Sparsification.Variance or Sparsification.Threshold => [],
            Sparsification.MagnitudeOutliers => ["weight", "density", "gamma"],
            Sparsification.Della => ["weight", "density", "epsilon"],
            _ => ["weight", "density"],
        };

    /// <inheritdoc/>
    public override IReadOnlyList<string> GlobalParameters =>
        Sparsification switch
        {
            Sparsification.Variance => ["select_topk", "int8_mask"],
            Sparsification.Threshold when Boosted => ["epsilon", "r", "alpha"],
            Sparsification.Threshold => ["epsilon"],
            _ => ["normalize", "lambda", "rescale", "int8_mask"],
        };
}

/// <summary>Spherical linear interpolation from the base (t = 0) to the other model (t = 1).</summary>
public sealed record SlerpMethod() : MergeMethod("slerp", "https://en.wikipedia.org/wiki/Slerp")
{
    /// <inheritdoc/>
    public override bool RequiresBase => true;
}

/// <summary>NuSLERP: slerp with t = w₂ / (w₁ + w₂), optionally of task vectors, row-wise or flattened.</summary>
public sealed record NuSlerpMethod()
    : MergeMethod("nuslerp", "https://github.com/arcee-ai/mergekit/blob/main/docs/merge_methods.md")
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> ModelParameters => ["weight"];
}

/// <summary>mergekit's multislerp (https://goddard.blog/posts/multislerp-wow-what-a-cool-idea): any number of models, optional base for task vectors.</summary>
public sealed record MultiSlerpMethod()
    : MergeMethod("multislerp", "https://goddard.blog/posts/multislerp-wow-what-a-cool-idea")
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> ModelParameters => ["weight"];

    /// <inheritdoc/>
    public override IReadOnlyList<string> GlobalParameters => ["normalize_weights", "eps"];
}

/// <summary>Karcher mean on the unit sphere, equal weights (every source, base_model included, is an ordinary input).</summary>
public sealed record KarcherMethod()
    : MergeMethod("karcher", "https://en.wikipedia.org/wiki/Karcher_mean")
{
    /// <inheritdoc/>
    public override IReadOnlyList<string> GlobalParameters => ["max_iter", "tol"];
}

/// <summary>NearSwap: w = clamp(t / |base − other|, 0, 1), out = w·other + (1 − w)·base.</summary>
public sealed record NearSwapMethod()
    : MergeMethod("nearswap", "https://huggingface.co/alchemonaut/QuartetAnemoi-70B-t0.0001")
{
    /// <inheritdoc/>
    public override bool RequiresBase => true;

    /// <inheritdoc/>
    public override IReadOnlyList<string> GlobalParameters => ["t"];
}

/// <summary>Arcee Fusion: fuse the elements whose |Δ|·KL(softmax) importance exceeds median + 1.5·IQR.</summary>
public sealed record ArceeFusionMethod() : MergeMethod("arcee_fusion", "https://arcee.ai")
{
    /// <inheritdoc/>
    public override bool RequiresBase => true;
}

/// <summary>Model Stock (Jang et al.): t = N cosθ / (1 + (N − 1) cosθ), w = t·avg + (1 − t)·base.</summary>
public sealed record ModelStockMethod()
    : MergeMethod("model_stock", "https://arxiv.org/abs/2403.19522")
{
    /// <inheritdoc/>
    public override bool RequiresBase => true;
}

/// <summary>Copies each tensor from its single source, optionally multiplied by <c>scale</c>.</summary>
public sealed record PassthroughMethod()
    : MergeMethod("passthrough", "https://github.com/arcee-ai/mergekit");
