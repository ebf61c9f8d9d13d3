using EvoMerge.Common;
using EvoMerge.Recipes;

namespace EvoMerge.Evolution.Genomes;

/// <summary>
/// The parameter-space search of the paper (Akiba et al. 2024, §3.1): TIES merging with DARE
/// sparsification over task vectors (source − base); CMA-ES tunes a density and a weight per source
/// model, or per layer. Genes live in [0, 1] (the optimizer's box); weights are NOT normalized to sum
/// to 1 (the paper's evolved weights summed to about 2).
/// Gene order: for each source, for each layer group, (density, weight).
/// </summary>
/// <param name="BaseModel">The base model the task vectors are taken from.</param>
/// <param name="Sources">The models merged (their task vectors).</param>
/// <param name="LayerGroups">1 = one density/weight per model (the paper's reported run); G &gt; 1 = G
/// anchors per model spread over the depth (mergekit's gradient values: with G equal to the layer
/// count each layer gets its own value, fewer anchors interpolate linearly between groups).</param>
/// <param name="Method">dare_ties (default), ties, dare_linear, breadcrumbs_ties, della, ... any task-arithmetic method.</param>
/// <param name="MinDensity">Densities are clamped to [MinDensity, 1] (a density of 0 would drop a model entirely).</param>
public sealed record PsSpace(
    string BaseModel,
    ValueArray<string> Sources,
    int LayerGroups = 1,
    string Method = "dare_ties",
    double MinDensity = 0.01
)
{
    /// <summary>Genome length: 2 genes × sources × layer groups.</summary>
    public int Dimension => 2 * Sources.Count * LayerGroups;

    /// <summary>The paper's start: every gene at 0.5.</summary>
    public double[] InitialGenome() => Enumerable.Repeat(0.5, Dimension).ToArray();

    /// <summary>The untuned baseline recipe of the paper's Table 1: uniform weights and densities.</summary>
    public MergeRecipe Uniform(double density = 0.5, double weight = 1.0)
    {
        var genome = new double[Dimension];
        for (int i = 0; i < Dimension; i += 2)
        {
            genome[i] = density;
            genome[i + 1] = weight;
        }
        return Decode(genome);
    }

    /// <summary>The names of the genes, in genome order (for logs and plots).</summary>
    public IReadOnlyList<string> GeneNames() =>
        Sources
            .SelectMany(source =>
                Enumerable
                    .Range(0, LayerGroups)
                    .SelectMany(g =>
                    {
                        var suffix = LayerGroups == 1 ? "" : $"[{g}]";
                        return new[] { $"{source}.density{suffix}", $"{source}.weight{suffix}" };
                    })
            )
            .ToArray();

    /// <summary>The pure decoder: genome → mergekit recipe.</summary>
    public MergeRecipe Decode(IReadOnlyList<double> genome)
    {
        if (genome.Count != Dimension)
            throw new ArgumentException(
                $"PS genome has {genome.Count} genes, expected {Dimension}"
            );
        if (genome.Any(g => !double.IsFinite(g)))
            throw new ArgumentException("PS genome has a NaN or infinite gene");
        var models = new List<RecipeModel>();
        for (int s = 0; s < Sources.Count; s++)
        {
            var densities = new double[LayerGroups];
            var weights = new double[LayerGroups];
            for (int g = 0; g < LayerGroups; g++)
            {
                int at = 2 * (s * LayerGroups + g);
                densities[g] = Math.Round(Math.Clamp(genome[at], MinDensity, 1.0), 6);
                weights[g] = Math.Round(Math.Max(0, genome[at + 1]), 6);
            }
            models.Add(
                new RecipeModel(
                    Sources[s],
                    ParameterMap.Of(("density", Value(densities)), ("weight", Value(weights)))
                )
            );
        }
        return MergeRecipe.ForModels(
            Method,
            BaseModel,
            models,
            ParameterMap.Of(("normalize", ParameterValue.Of(false)))
        );
    }

    static ParameterValue Value(double[] values) =>
        values.Length == 1 ? ParameterValue.Of(values[0]) : ParameterValue.Gradient(values);
}
