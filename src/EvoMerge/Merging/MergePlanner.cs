using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Common;
using EvoMerge.Recipes;
using TorchSharp;

namespace EvoMerge.Merging;

/// <summary>
/// Turns a recipe and the source models' inventories into a <see cref="MergePlan"/>: one entry per
/// output tensor with its inputs and fully resolved operation. Pure (no tensor data), and the only
/// place recipes are validated against methods and models, so every problem surfaces before any
/// output is written. Follows mergekit's planner: whole-model recipes become one slice over all
/// layers; embeddings come from the first slice's models at t = 0, other non-layer tensors (final
/// norm, lm_head) from the last slice's at t = 1; a layer at position i of an n-layer slice has
/// t = i / (n − 1).
/// </summary>
public static class MergePlanner
{
    /// <summary>Plans <paramref name="document"/> over the models in <paramref name="inventories"/> (keyed by the recipe's model names).</summary>
    public static MergePlan Plan(
        RecipeDocument document,
        IReadOnlyDictionary<string, ModelInventory> inventories
    ) => new Builder(document, inventories).Build();

    sealed record Source(string Model, int LayerStart, ParameterMap Parameters);

    sealed class Builder(
        RecipeDocument document,
        IReadOnlyDictionary<string, ModelInventory> inventories
    )
    {
        readonly MergeRecipe _recipe = document.Recipe;
        MergeMethod _method = null!;

        RecipeException Error(string problem) => new(document.FilePath, problem);

        public MergePlan Build()
        {
            _method =
                MergeMethod.Find(_recipe.Method)
                ?? throw Error(
                    $"unknown merge_method '{_recipe.Method}' (known: {string.Join(", ", MergeMethod.All.Select(m => m.Name))})"
                );
            if (
                _method.RequiresBase
                && _recipe.BaseModel is null
                && (_recipe.Slices.Count == 0 || _recipe.Slices.Any(s => s.BaseModel is null))
            )
                throw Error($"merge_method '{_method.Name}' needs a base_model");
            foreach (var model in _recipe.ReferencedModels())
                if (model != _recipe.TokenizerSource && !inventories.ContainsKey(model))
                    throw Error($"model '{model}' was not loaded");
            var slices = _recipe.Slices.Count > 0 ? ExplicitSlices() : [ImplicitSlice()];
            var tensors = new List<PlannedTensor>();
            var first = slices[0];
            var last = slices[^1];
            var firstReference = inventories[first.Sources[0].Model];
            var lastReference = inventories[last.Sources[0].Model];
            // Embeddings (and anything else before the layers) from the first slice at t = 0.
            foreach (var name in firstReference.TensorNames)
                if (ModelInventory.LayerIndex(name) < 0 && IsPreLayer(name))
                    tensors.Add(Tensor(name, first, _ => name, 0));
            int outputLayer = 0;
            foreach (var slice in slices)
            {
                for (int i = 0; i < slice.Count; i++)
                {
                    double t = slice.Count > 1 ? (double)i / (slice.Count - 1) : 1;
                    var lead = slice.Sources[0];
                    var names = inventories[lead.Model]
                        .TensorNames.Where(n => ModelInventory.LayerIndex(n) == lead.LayerStart + i)
                        .ToList();
                    if (names.Count == 0)
                        throw Error(
                            $"model '{lead.Model}' has no tensors for layer {lead.LayerStart + i}"
                        );
                    foreach (var name in names)
                    {
                        int layer = i;
                        tensors.Add(
                            Tensor(
                                ModelInventory.WithLayer(name, outputLayer),
                                slice,
                                s => ModelInventory.WithLayer(name, s.LayerStart + layer),
                                t
                            )
                        );
                    }
                    outputLayer++;
                }
            }
            foreach (var name in lastReference.TensorNames)
                if (ModelInventory.LayerIndex(name) < 0 && !IsPreLayer(name))
                    tensors.Add(Tensor(name, last, _ => name, 1));
            return new MergePlan(
                _method,
                tensors.ToValueArray(),
                outputLayer,
                first.Sources[0].Model
            );
        }

        static bool IsPreLayer(string name) => name.Contains("embed", StringComparison.Ordinal);

        sealed record Slice(
            ValueArray<Source> Sources,
            ParameterMap Parameters,
            int Count,
            string? BaseModel
        );

        Slice ImplicitSlice()
        {
            var models = _recipe.Models.Select(m => new Source(m.Model, 0, m.Parameters)).ToList();
            var baseName = _recipe.BaseModel;
            if (
                baseName is not null
                && models.All(m => m.Model != baseName)
                && _method is not LinearMethod and not PassthroughMethod
            )
                models.Add(new Source(baseName, 0, ParameterMap.Empty));
            var counts = models.Select(m => inventories[m.Model].NumLayers).Distinct().ToList();
            if (counts.Count != 1)
                throw Error(
                    $"the models have different layer counts ({string.Join(", ", models.Select(m => $"{m.Model}: {inventories[m.Model].NumLayers}"))}); use slices"
                );
            return new Slice(models.ToValueArray(), ParameterMap.Empty, counts[0], baseName);
        }

        List<Slice> ExplicitSlices()
        {
            var result = new List<Slice>();
            foreach (var (slice, index) in _recipe.Slices.Select((s, i) => (s, i)))
            {
                foreach (var source in slice.Sources)
                {
                    var layers = inventories[source.Model].NumLayers;
                    if (source.Range.End > layers)
                        throw Error(
                            $"slice {index}: layer_range [{source.Range.Start}, {source.Range.End}) exceeds the {layers} layers of '{source.Model}'"
                        );
                }
                result.Add(
                    new Slice(
                        slice
                            .Sources.Select(s => new Source(s.Model, s.Range.Start, s.Parameters))
                            .ToValueArray(),
                        slice.Parameters,
                        slice.Sources[0].Range.Count,
                        // mergekit's ConfigReader: the slice's base_model, else the recipe's.
                        slice.BaseModel
                            ?? _recipe.BaseModel
                    )
                );
            }
            return result;
        }

        PlannedTensor Tensor(
            string outputName,
            Slice slice,
            Func<Source, string> inputName,
            double t
        )
        {
            // Order inputs as the operation expects them.
            var sources = OrderSources(slice, outputName);
            var inputs = sources.Select(s => new TensorInput(s.Model, inputName(s))).ToList();
            ValueArray<long>? shape = null;
            torch.ScalarType dtype = torch.ScalarType.Float32;
            foreach (var input in inputs)
            {
                var inventory = inventories[input.Model];
                if (!inventory.Contains(input.Tensor))
                    throw Error($"model '{input.Model}' has no tensor '{input.Tensor}'");
                var s = inventory.Shape(input.Tensor);
                if (shape is null)
                {
                    shape = s;
                    dtype = inventory.Dtype(input.Tensor);
                }
                else if (s != shape)
                    throw Error(
                        $"shape mismatch for '{outputName}': '{inputs[0].Model}' has [{string.Join(", ", shape)}], '{input.Model}' has [{string.Join(", ", s)}]"
                    );
            }
            var outDtype = _recipe.OutDtype ?? _recipe.Dtype;
            if (outDtype is not null)
            {
                try
                {
                    dtype = SafetensorsDtypes.ParseTorchDtype(outDtype);
                }
                catch (ArgumentException e)
                {
                    throw Error(e.Message);
                }
            }
            var operation = Operation(outputName, sources, slice, inputs, t);
            return new PlannedTensor(outputName, shape!, dtype, inputs.ToValueArray(), operation);
        }

        IReadOnlyList<Source> OrderSources(Slice slice, string tensor)
        {
            var baseName = slice.BaseModel;
            var all = slice.Sources;
            switch (_method)
            {
                case LinearMethod:
                    return all;
                case PassthroughMethod:
                    if (all.Count != 1)
                        throw Error(
                            $"passthrough takes exactly one source per tensor, '{tensor}' has {all.Count}"
                        );
                    return all;
                case KarcherMethod:
                    return all; // mergekit: base_model, when given, is one more ordinary input
                case MultiSlerpMethod:
                {
                    var others = all.Where(s => s.Model != baseName).ToList();
                    if (others.Count == 0)
                        throw Error("multislerp needs at least one model besides the base_model");
                    if (baseName is not null)
                        others.Add(BaseOf(all, baseName));
                    return others;
                }
                case NearSwapMethod or ArceeFusionMethod:
                {
                    var others = all.Where(s => s.Model != baseName).ToList();
                    if (others.Count != 1)
                        throw Error(
                            $"{_method.Name} merges exactly two models: the base_model and one other (got {others.Count} besides the base)"
                        );
                    return [BaseOf(all, baseName!), others[0]];
                }
                case NuSlerpMethod:
                {
                    var others = all.Where(s => s.Model != baseName).ToList();
                    if (others.Count != 2)
                        throw Error(
                            "nuslerp merges exactly two models (plus an optional base_model)"
                        );
                    if (baseName is not null)
                        others.Add(BaseOf(all, baseName));
                    return others;
                }
                default:
                {
                    var baseSource = BaseOf(all, baseName!);
                    var others = all.Where(s => s.Model != baseName).ToList();
                    if (_method is SlerpMethod && others.Count != 1)
                        throw Error(
                            "slerp merges exactly two models: the base_model and one other"
                        );
                    if (_method is ModelStockMethod && others.Count < 2)
                        throw Error(
                            "model_stock needs the base_model and at least two other models"
                        );
                    return [baseSource, .. others];
                }
            }
        }

        Source BaseOf(IReadOnlyList<Source> all, string baseName) =>
            all.FirstOrDefault(s => s.Model == baseName)
            ?? throw Error($"base_model '{baseName}' is not among the sources of a slice");

        TensorOperation Operation(
            string tensor,
            IReadOnlyList<Source> sources,
            Slice slice,
            List<TensorInput> inputs,
            double t
        )
        {
            ParameterValue? Param(string name, int? input)
            {
                if (input is { } i)
                {
                    var v = sources[i].Parameters[name]?.Evaluate(inputs[i].Tensor, t);
                    if (v is not null)
                        return v;
                }
                return slice.Parameters[name]?.Evaluate(tensor, t)
                    ?? _recipe.Parameters[name]?.Evaluate(tensor, t);
            }
            double Number(string name, int? input, double? fallback)
            {
                var v = Param(name, input);
                return v switch
                {
                    NumberValue n => n.Value,
                    FlagValue f => f.Value ? 1 : 0,
                    null when fallback is { } d => d,
                    null => throw Error(
                        input is { } i
                            ? $"'{name}' is required for model '{sources[i].Model}' (tensor '{tensor}')"
                            : $"'{name}' is required (tensor '{tensor}')"
                    ),
                    _ => throw Error($"'{name}' must be a number, got '{v}'"),
                };
            }
            bool Flag(string name, bool fallback) =>
                Param(name, null) switch
                {
                    null => fallback,
                    FlagValue f => f.Value,
                    NumberValue n => n.Value != 0,
                    var v => throw Error($"'{name}' must be true or false, got '{v}'"),
                };

            switch (_method)
            {
                case LinearMethod:
                {
                    var weights = sources
                        .Select((_, i) => Number("weight", i, null))
                        .ToValueArray();
                    bool normalize = Flag("normalize", true);
                    if (normalize && Math.Abs(weights.Sum()) < 1e-12)
                        throw Error(
                            $"linear weights [{string.Join(", ", weights.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)))}] sum to 0, and normalize divides by that sum: change the weights or set normalize: false"
                        );
                    return new LinearOperation(weights, normalize);
                }
                case PassthroughMethod:
                    return new PassthroughOperation(
                        Param("scale", null) is null ? null : Number("scale", null, null)
                    );
                case SlerpMethod:
                    return new SlerpOperation(Number("t", null, null));
                case ModelStockMethod:
                    return new ModelStockOperation(Flag("filter_wise", false));
                case NuSlerpMethod:
                {
                    double w0 = Number("weight", 0, null);
                    double w1 = Number("weight", 1, null);
                    double sum = w0 + w1;
                    return new NuSlerpOperation(
                        Math.Abs(sum) < 1e-6 ? 0.5 : w1 / sum,
                        Flag("nuslerp_row_wise", false),
                        Flag("nuslerp_flatten", true),
                        sources.Count == 3
                    );
                }
                case MultiSlerpMethod:
                {
                    bool hasBase = slice.BaseModel is not null;
                    int models = hasBase ? sources.Count - 1 : sources.Count;
                    var weights = Enumerable
                        .Range(0, models)
                        .Select(i => Number("weight", i, null))
                        .ToValueArray();
                    bool normalize = Flag("normalize_weights", true);
                    double eps = Number("eps", null, 1e-8);
                    if (!(eps > 0))
                        throw Error($"multislerp eps must be > 0, got {eps}");
                    if (normalize && Math.Abs(weights.Sum()) < 1e-12)
                        throw Error(
                            "multislerp weights sum to 0, and normalize_weights divides by that sum: change the weights or set normalize_weights: false"
                        );
                    return new MultiSlerpOperation(weights, normalize, eps, hasBase);
                }
                case KarcherMethod:
                {
                    double maxIter = Number("max_iter", null, 10);
                    double tol = Number("tol", null, 1e-5);
                    if (!(maxIter >= 0 && maxIter == Math.Floor(maxIter) && maxIter <= 100000))
                        throw Error(
                            $"karcher max_iter must be a whole number in [0, 100000], got {maxIter}"
                        );
                    if (!(tol >= 0 && double.IsFinite(tol)))
                        throw Error($"karcher tol must be a finite number >= 0, got {tol}");
                    return new KarcherOperation((int)maxIter, tol);
                }
                case NearSwapMethod:
                {
                    double threshold = Number("t", null, null);
                    if (!(threshold > 0 && double.IsFinite(threshold)))
                        throw Error(
                            $"nearswap t (the sameness threshold) must be a finite number > 0, got {threshold}"
                        );
                    return new NearSwapOperation(threshold);
                }
                case ArceeFusionMethod:
                    return new ArceeFusionOperation();
                case TaskArithmeticMethod { Weighting: TermWeighting.MeanSquare } sce:
                {
                    double topk = Number("select_topk", null, 1.0);
                    if (!(topk > 0 && topk <= 1))
                        throw Error(
                            $"sce select_topk must be in (0, 1] (the fraction of varying positions kept), got {topk}"
                        );
                    var unit = Enumerable
                        .Range(1, sources.Count - 1)
                        .Select(_ => new TaskVectorTerms(1, 1, 0, 0))
                        .ToValueArray();
                    return new TaskArithmeticOperation(
                        sce.Sparsification,
                        sce.Consensus,
                        Normalize: true,
                        Rescale: false,
                        RescaleMode.InverseKeepProbability,
                        Lambda: 1,
                        unit,
                        SelectTopK: topk,
                        Weighting: TermWeighting.MeanSquare,
                        DivisorFloor: sce.DivisorFloor
                    );
                }
                case TaskArithmeticMethod { Averaging: Averaging.ActiveCount } ram:
                {
                    double epsilon = Number("epsilon", null, 1e-5);
                    if (!(epsilon >= 0 && double.IsFinite(epsilon)))
                        throw Error(
                            $"{ram.Name} epsilon (the activity threshold on |model − base|) must be a finite number >= 0, got {epsilon}"
                        );
                    UniqueBoost? boost = null;
                    if (ram.Boosted)
                    {
                        double r = Number("r", null, 0.1);
                        double alpha = Number("alpha", null, 0.2);
                        if (!(r >= 0 && double.IsFinite(r)))
                            throw Error($"ramplus_tl r must be a finite number >= 0, got {r}");
                        if (!(alpha >= 0 && double.IsFinite(alpha)))
                            throw Error(
                                $"ramplus_tl alpha (the cap on the shared/unique ratio) must be a finite number >= 0, got {alpha}"
                            );
                        if (!(epsilon > 0))
                            throw Error(
                                $"ramplus_tl epsilon must be > 0 (it also bounds the shared/unique ratio's divisor), got {epsilon}"
                            );
                        boost = new UniqueBoost(r, alpha, epsilon);
                    }
                    var unit = Enumerable
                        .Range(1, sources.Count - 1)
                        .Select(_ => new TaskVectorTerms(1, 1, 0, epsilon))
                        .ToValueArray();
                    return new TaskArithmeticOperation(
                        ram.Sparsification,
                        ram.Consensus,
                        Normalize: true,
                        Rescale: false,
                        RescaleMode.InverseKeepProbability,
                        Lambda: 1,
                        unit,
                        Averaging: Averaging.ActiveCount,
                        Boost: boost
                    );
                }
                case TaskArithmeticMethod gta:
                {
                    var terms = new List<TaskVectorTerms>();
                    for (int i = 1; i < sources.Count; i++)
                    {
                        var term = new TaskVectorTerms(
                            Number("weight", i, null),
                            Number("density", i, 1.0),
                            Number("gamma", i, 0.01),
                            Number("epsilon", i, 0.15)
                        );
                        if (
                            gta.Sparsification != Sparsification.None
                            && !(term.Density > 0 && term.Density <= 1)
                        )
                            throw Error(
                                $"density {term.Density} for model '{sources[i].Model}' (tensor '{tensor}') is outside (0, 1]"
                            );
                        if (
                            gta.Sparsification == Sparsification.MagnitudeOutliers
                            && !(term.Gamma >= 0 && term.Gamma < 1)
                        )
                            throw Error(
                                $"gamma {term.Gamma} for model '{sources[i].Model}' is outside [0, 1)"
                            );
                        if (
                            gta.Sparsification == Sparsification.Della
                            && term.Density < 1
                            && !(term.Density - term.Epsilon > 0 && term.Density + term.Epsilon < 1)
                        )
                            throw Error(
                                $"epsilon {term.Epsilon} for model '{sources[i].Model}': density ± epsilon must stay inside (0, 1)"
                            );
                        terms.Add(term);
                    }
                    var mode = Param("rescale_mode", null) switch
                    {
                        null => RescaleMode.InverseKeepProbability,
                        TextValue { Value: "l1" or "l1_norm" } => RescaleMode.L1Norm,
                        TextValue { Value: "inverse" or "inverse_density" } =>
                            RescaleMode.InverseKeepProbability,
                        var v => throw Error(
                            $"rescale_mode must be 'inverse_density' or 'l1', got '{v}'"
                        ),
                    };
                    if (Param("consensus", null) is { } c)
                        throw Error(
                            $"'consensus' is not a mergekit parameter (got '{c}'); pick the method instead (ties, dare_linear, ...)"
                        );
                    return new TaskArithmeticOperation(
                        gta.Sparsification,
                        gta.Consensus,
                        Flag("normalize", gta.DefaultNormalize),
                        Flag("rescale", gta.DefaultRescale),
                        mode,
                        Number("lambda", null, 1.0),
                        terms.ToValueArray()
                    );
                }
                default:
                    throw new InvalidOperationException(_method.Name);
            }
        }
    }
}
