using EvoMerge.Recipes;

namespace EvoMerge.Benchmarks;

/// <summary>The recipe the merge benchmarks run: sources m0…m(n−1) onto "base", weights and densities spread over (0, 1).</summary>
internal static class BenchRecipe
{
    public static MergeRecipe Of(string method, int sources) =>
        MergeRecipe.ForModels(
            method,
            "base",
            Enumerable
                .Range(0, sources)
                .Select(i => new RecipeModel(
                    ModelName(i),
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(0.3 + 0.2 * i)),
                        ("density", ParameterValue.Of(0.4 + 0.15 * i))
                    )
                ))
        );

    /// <summary>"base", then the sources' names.</summary>
    public static IReadOnlyList<string> ModelNames(int sources) =>
        ["base", .. Enumerable.Range(0, sources).Select(ModelName)];

    static string ModelName(int source) => $"m{source}";
}
