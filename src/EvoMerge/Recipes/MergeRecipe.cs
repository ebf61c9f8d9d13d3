using EvoMerge.Common;

namespace EvoMerge.Recipes;

/// <summary>A model taking part in a whole-model merge (mergekit's <c>models:</c> entry).</summary>
/// <param name="Model">A local checkpoint folder: relative to the YAML file, or absolute (or a key of the in-memory sources).</param>
/// <param name="Parameters">Per-model parameters (weight, density, gamma, epsilon, ...).</param>
public sealed record RecipeModel(string Model, ParameterMap Parameters)
{
    /// <summary>A model entry without parameters.</summary>
    public RecipeModel(string model)
        : this(model, ParameterMap.Empty) { }
}

/// <summary>Half-open layer range [Start, End) of a source model.</summary>
public sealed record LayerRange(int Start, int End)
{
    /// <summary>Number of layers in the range.</summary>
    public int Count => End - Start;
}

/// <summary>One input of an output slice: layers <see cref="Range"/> of <see cref="Model"/>.</summary>
public sealed record SliceSource(string Model, LayerRange Range, ParameterMap Parameters)
{
    /// <summary>A slice source without parameters.</summary>
    public SliceSource(string model, LayerRange range)
        : this(model, range, ParameterMap.Empty) { }
}

/// <summary>An output slice: its layers are merged from the sources' ranges (all of the same length).</summary>
/// <param name="Sources">The inputs.</param>
/// <param name="Parameters">Slice-level parameters.</param>
/// <param name="BaseModel">mergekit's per-slice <c>base_model</c> (overrides the recipe's for this slice; must be one of its sources), or null.</param>
public sealed record RecipeSlice(
    ValueArray<SliceSource> Sources,
    ParameterMap Parameters,
    string? BaseModel = null
)
{
    /// <summary>A slice without slice-level parameters.</summary>
    public RecipeSlice(params SliceSource[] sources)
        : this(sources.ToValueArray(), ParameterMap.Empty) { }
}

/// <summary>
/// A mergekit merge configuration as an immutable record: either <see cref="Models"/> (whole-model
/// merge) or <see cref="Slices"/> (layer ranges, e.g. a passthrough frankenmerge), never both.
/// Parameters resolve per tensor: slice source or model entry first, then the slice, then the global map.
/// </summary>
/// <param name="Method">mergekit's merge_method name (linear, ties, dare_ties, slerp, ...).</param>
/// <param name="BaseModel">The base model (task-vector origin; slerp's first endpoint), or null.</param>
/// <param name="Models">Whole-model entries (empty when slices are used).</param>
/// <param name="Slices">Output slices (empty when models are used).</param>
/// <param name="Parameters">Global parameters.</param>
/// <param name="Dtype">mergekit's <c>dtype</c>: the dtype sources are read in (and the output's, unless <paramref name="OutDtype"/>).</param>
/// <param name="OutDtype">mergekit's <c>out_dtype</c>: the dtype written.</param>
/// <param name="TokenizerSource">Where tokenizer files come from (mergekit's <c>tokenizer_source</c>, or <c>tokenizer.source</c> when <paramref name="TokenizerBlock"/>).</param>
/// <param name="TokenizerBlock">True when the YAML used the <c>tokenizer: {source: ...}</c> form.</param>
/// <param name="Name">mergekit-multi's stage <c>name</c> (a later stage of the same file may name it as a model), or null.</param>
/// <param name="ChatTemplate">mergekit's <c>chat_template</c>: <c>auto</c>, a model of the recipe, a built-in name (<c>chatml</c>) or a Jinja template; null keeps the tokenizer source's.</param>
public sealed record MergeRecipe(
    string Method,
    string? BaseModel,
    ValueArray<RecipeModel> Models,
    ValueArray<RecipeSlice> Slices,
    ParameterMap Parameters,
    string? Dtype = null,
    string? OutDtype = null,
    string? TokenizerSource = null,
    bool TokenizerBlock = false,
    string? Name = null,
    string? ChatTemplate = null
)
{
    /// <summary>A whole-model recipe.</summary>
    public static MergeRecipe ForModels(
        string method,
        string? baseModel,
        IEnumerable<RecipeModel> models,
        ParameterMap? parameters = null
    ) =>
        new(
            method,
            baseModel,
            models.ToValueArray(),
            ValueArray<RecipeSlice>.Empty,
            parameters ?? ParameterMap.Empty
        );

    /// <summary>Every model the recipe names (base first), without duplicates.</summary>
    public IReadOnlyList<string> ReferencedModels()
    {
        var names = new List<string>();
        if (BaseModel is not null)
            names.Add(BaseModel);
        names.AddRange(Models.Select(m => m.Model));
        names.AddRange(Slices.SelectMany(s => s.Sources).Select(s => s.Model));
        names.AddRange(Slices.Select(s => s.BaseModel).OfType<string>());
        if (TokenizerSource is not null && TokenizerSource != "base" && TokenizerSource != "union")
            names.Add(TokenizerSource);
        return names.Distinct(StringComparer.Ordinal).ToList();
    }
}
