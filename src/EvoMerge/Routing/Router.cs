using EvoMerge.Common;
using EvoMerge.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Routing;

/// <summary>
/// Runs a data-flow path over the decoder layers of several loaded models (the paper's DFS, §3.2).
/// Model A (the first named, or the one given) supplies embeddings, final norm and head; before each
/// step the hidden state is multiplied by the step's scale (W[prev, next]). The router owns the
/// layer loop; the KV cache has one slot per path position, so a layer used twice keeps two entries.
/// It implements <see cref="ICausalLanguageModel"/>, so generation and evaluation run through it
/// unchanged. Weights are shared with the models (never copied); swapping the path is free.
/// A plain model is the identity path over its own layers (<see cref="Identity"/>): this is the only
/// decoder layer loop, so the checkpoint forward, training and DFS cannot drift apart.
/// </summary>
public sealed class Router : ICausalLanguageModel
{
    readonly IReadOnlyDictionary<string, CausalLanguageModel> _models;
    readonly CausalLanguageModel _a;
    readonly (DecoderLayer Layer, double Scale)[] _steps; // the path resolved once

    /// <summary>The name <see cref="Identity"/> gives the model in its path.</summary>
    public const string IdentityModelName = "model";

    /// <param name="models">Loaded models by the names the path uses.</param>
    /// <param name="path">The layer path.</param>
    /// <param name="modelA">The model supplying embeddings, norm and head (default: the path's first model).</param>
    public Router(
        IReadOnlyDictionary<string, CausalLanguageModel> models,
        LayerPath path,
        string? modelA = null
    )
    {
        _models = models;
        var aName = modelA ?? path.Models[0];
        _a = models.TryGetValue(aName, out var a)
            ? a
            : throw new ArgumentException($"model A '{aName}' is not loaded");
        foreach (var step in path.Steps)
        {
            if (!models.TryGetValue(step.Model, out var model))
                throw new ArgumentException(
                    $"the path uses model '{step.Model}', which is not loaded (loaded: {string.Join(", ", models.Keys)})"
                );
            if (step.Layer >= model.Layers.Count)
                throw new ArgumentException(
                    $"the path uses layer {step.Layer} of '{step.Model}', which has {model.Layers.Count} layers"
                );
            if (
                model.Config.HiddenSize != _a.Config.HiddenSize
                || model.Device != _a.Device
                || model.ComputeDtype != _a.ComputeDtype
            )
                throw new ArgumentException(
                    $"model '{step.Model}' does not match model A's hidden size, device and compute dtype"
                );
        }
        Path = path;
        ModelA = aName;
        _steps = path.Steps.Select(s => (models[s.Model].Layers[s.Layer], s.Scale)).ToArray();
    }

    /// <summary>A model's own layers in order, unscaled: the router equivalent of the plain model.</summary>
    public static Router Identity(CausalLanguageModel model) =>
        new(
            new Dictionary<string, CausalLanguageModel> { [IdentityModelName] = model },
            new LayerPath(
                Enumerable
                    .Range(0, model.Layers.Count)
                    .Select(i => new PathStep(IdentityModelName, i))
                    .ToValueArray()
            )
        );

    /// <summary>The path this router runs.</summary>
    public LayerPath Path { get; }

    /// <summary>The name of the model supplying embeddings, norm and head.</summary>
    public string ModelA { get; }

    /// <summary>The same models on another path.</summary>
    public Router WithPath(LayerPath path) => new(_models, path, ModelA);

    public Device Device => _a.Device;

    public int VocabSize => _a.VocabSize;

    public ValueArray<int> EosTokenIds => _a.EosTokenIds;

    public int? BosTokenId => _a.BosTokenId;

    public int? PadTokenId => _a.PadTokenId;

    /// <inheritdoc/>
    public Tensor Forward(
        Tensor inputIds,
        Tensor? attentionMask = null,
        KvCache? cache = null,
        bool lastPositionOnly = false
    )
    {
        using var scope = NewDisposeScope();
        return ForwardEmbeddings(_a.Embed(inputIds), attentionMask, cache, lastPositionOnly)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Runs the path on embeddings (B, T, D) — also the entry point for a VLM's merged embeddings.</summary>
    public Tensor ForwardEmbeddings(
        Tensor embeddings,
        Tensor? attentionMask = null,
        KvCache? cache = null,
        bool lastPositionOnly = false
    )
    {
        using var noGrad = no_grad();
        return Run(embeddings, attentionMask, cache, lastPositionOnly);
    }

    /// <summary>
    /// Logits with autograd enabled, for training: ids (B, T) → logits (B, T, V) in float32. No
    /// cache, no padding mask: training windows are packed, so every position is real.
    /// </summary>
    public Tensor TrainingForward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        return Run(_a.Embed(inputIds), null, null, false).MoveToOuterDisposeScope();
    }

    // The layer loop (the only one): scale, layer, next step; then norm and head of model A.
    Tensor Run(Tensor embeddings, Tensor? attentionMask, KvCache? cache, bool lastPositionOnly)
    {
        if (cache is not null && cache.Slots.Count != Path.Length)
            throw new ArgumentException(
                $"the cache has {cache.Slots.Count} slots but the path has {Path.Length} steps"
            );
        using var scope = NewDisposeScope();
        int b = (int)embeddings.shape[0],
            t = (int)embeddings.shape[1];
        using var context = _a.CreateContext(b, t, attentionMask, cache);
        var h = embeddings; // (B, T, D)
        for (int position = 0; position < _steps.Length; position++)
        {
            var (layer, scale) = _steps[position];
            if (scale != 1.0)
                h = h * scale; // the paper's W[prev, next], applied before the layer runs
            h = layer.forward(h, context, position); // position = the step's KV cache slot
        }
        cache?.Advance(t);
        if (lastPositionOnly)
            h = h.narrow(1, t - 1, 1); // (B, 1, D)
        return _a.Head(_a.FinalNorm(h)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public KvCache CreateCache(int batch, int maxLength) =>
        new(
            batch,
            maxLength,
            _steps.Select(s => s.Layer.CacheSlotShape).ToArray(),
            _a.ComputeDtype,
            Device
        );
}
