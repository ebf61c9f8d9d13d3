using EvoMerge.Common;
using EvoMerge.Merging;
using EvoMerge.Recipes;

namespace EvoMerge.Evolution.Genomes;

/// <summary>
/// The parameter-space search of the paper (Akiba et al. 2024, §3.1), over any merge method with
/// tunable parameters: the paper's DARE-TIES tunes a density and a weight per source model; sce
/// tunes select_topk, della adds an epsilon per model, ram an activity threshold, slerp its t, and so
/// on (<see cref="PsGene.For"/> lists each method's genes). Every parameter has one gene per layer
/// group. Genes live in [0, 1] (the optimizer's box); weights are NOT normalized to sum to 1 (the
/// paper's evolved weights summed to about 2).
/// Gene order: for each source, for each layer group, the per-model genes (density, weight, ...);
/// then for each global parameter, its layer groups.
/// </summary>
/// <param name="BaseModel">The base model the task vectors are taken from.</param>
/// <param name="Sources">The models merged (their task vectors).</param>
/// <param name="LayerGroups">1 = one value per parameter (the paper's reported run); G &gt; 1 = G
/// anchors spread over the depth (mergekit's gradient values: with G equal to the layer count each
/// layer gets its own value, fewer anchors interpolate linearly between groups).</param>
/// <param name="Method">Any mergekit method with tunable parameters (dare_ties by default).</param>
/// <param name="MinDensity">Densities (and select_topk) are clamped to [MinDensity, 1] (0 would drop a model entirely).</param>
public sealed record PsSpace(
    string BaseModel,
    ValueArray<string> Sources,
    int LayerGroups = 1,
    string Method = "dare_ties",
    double MinDensity = 0.01
)
{
    /// <summary>The method's genes (throws <see cref="ArgumentException"/> naming the reason for a method with none).</summary>
    public IReadOnlyList<PsGene> Genes() => PsGene.For(Method);

    IReadOnlyList<PsGene> PerModel() => Genes().Where(g => g.PerModel).ToList();

    IReadOnlyList<PsGene> Global() => Genes().Where(g => !g.PerModel).ToList();

    /// <summary>Genome length: (per-model genes × sources + global genes) × layer groups.</summary>
    public int Dimension => (PerModel().Count * Sources.Count + Global().Count) * LayerGroups;

    /// <summary>The paper's start: every gene at 0.5.</summary>
    public double[] InitialGenome() => Enumerable.Repeat(0.5, Dimension).ToArray();

    /// <summary>The untuned baseline recipe of the paper's Table 1: uniform densities and weights (other genes at 0.5).</summary>
    public MergeRecipe Uniform(double density = 0.5, double weight = 1.0)
    {
        var names = GeneNames();
        var genome = names
            .Select(n =>
                n.Contains(".density", StringComparison.Ordinal) ? density
                : n.Contains(".weight", StringComparison.Ordinal) ? weight
                : 0.5
            )
            .ToArray();
        return Decode(genome);
    }

    /// <summary>The names of the genes, in genome order (for logs and plots).</summary>
    public IReadOnlyList<string> GeneNames()
    {
        string Suffix(int g) => LayerGroups == 1 ? "" : $"[{g}]";
        var names = new List<string>();
        foreach (var source in Sources)
            for (int g = 0; g < LayerGroups; g++)
                names.AddRange(PerModel().Select(p => $"{source}.{p.Parameter}{Suffix(g)}"));
        foreach (var p in Global())
            for (int g = 0; g < LayerGroups; g++)
                names.Add($"{p.Parameter}{Suffix(g)}");
        return names;
    }

    /// <summary>The pure decoder: genome → mergekit recipe.</summary>
    public MergeRecipe Decode(IReadOnlyList<double> genome)
    {
        if (genome.Count != Dimension)
            throw new ArgumentException(
                $"PS genome has {genome.Count} genes, expected {Dimension}"
            );
        if (genome.Any(g => !double.IsFinite(g)))
            throw new ArgumentException("PS genome has a NaN or infinite gene");
        var perModel = PerModel();
        int at = 0;
        var models = new List<RecipeModel>();
        foreach (var source in Sources)
        {
            var values = perModel.Select(_ => new double[LayerGroups]).ToArray();
            for (int g = 0; g < LayerGroups; g++)
            for (int p = 0; p < perModel.Count; p++)
            {
                // DELLA's epsilon is relative to the same group's density (decoded just before it).
                double density =
                    perModel[p].Mapping == GeneMapping.DensityMargin
                        ? values[perModel.ToList().FindIndex(x => x.Parameter == "density")][g]
                        : 0;
                values[p][g] = Value(perModel[p], genome[at++], density);
            }
            models.Add(
                new RecipeModel(
                    source,
                    new ParameterMap(
                        perModel
                            .Select((p, i) => new NamedParameter(p.Parameter, Value(values[i])))
                            .ToValueArray()
                    )
                )
            );
        }
        var global = new List<NamedParameter>();
        var method = MergeMethod.Find(Method)!;
        // The paper's PS keeps the evolved weights as they are.
        if (method.GlobalParameters.Contains("normalize"))
            global.Add(new NamedParameter("normalize", ParameterValue.Of(false)));
        foreach (var p in Global())
        {
            var values = new double[LayerGroups];
            for (int g = 0; g < LayerGroups; g++)
                values[g] = Value(p, genome[at++], 0);
            global.Add(new NamedParameter(p.Parameter, Value(values)));
        }
        return MergeRecipe.ForModels(
            Method,
            BaseModel,
            models,
            new ParameterMap(global.ToValueArray())
        );
    }

    double Value(PsGene gene, double g, double density)
    {
        double unit = Math.Clamp(g, 0, 1);
        double value = gene.Mapping switch
        {
            GeneMapping.Density => Math.Clamp(g, MinDensity, 1.0),
            GeneMapping.Weight => Math.Max(0, g),
            GeneMapping.Linear => gene.Low + unit * (gene.High - gene.Low),
            GeneMapping.Log => gene.Low * Math.Pow(gene.High / gene.Low, unit),
            // Rounded down so density ± epsilon stays strictly inside (0, 1) after rounding.
            GeneMapping.DensityMargin => Math.Floor(
                unit * 0.999 * Math.Min(density, 1 - density) * 1e6
            ) / 1e6,
            _ => throw new ArgumentOutOfRangeException(nameof(gene)),
        };
        return gene.Mapping == GeneMapping.Log
            ? double.Parse(
                value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
                System.Globalization.CultureInfo.InvariantCulture
            )
            : Math.Round(value, 6);
    }

    static ParameterValue Value(double[] values) =>
        values.Length == 1 ? ParameterValue.Of(values[0]) : ParameterValue.Gradient(values);
}
