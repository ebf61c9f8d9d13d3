using System.Text.Json;
using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Streams a merge from checkpoints on disk to a sharded Hugging Face checkpoint: plans first
/// (every recipe problem is reported before anything is written), then for each output tensor
/// loads only its inputs into reused buffers, merges on the device and appends the result to the
/// output shards. Peak memory ≈ one weight across the sources plus the kernels' chunk buffers.
/// The output folder appears atomically (staging folder, then rename) with config.json (layer count
/// and dtype patched), generation_config.json and tokenizer files.
/// </summary>
public static class MergeExecutor
{
    static readonly string[] TokenizerFiles =
    [
        "tokenizer.json",
        "tokenizer.model",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "vocab.json",
        "merges.txt",
        "added_tokens.json",
        "chat_template.jinja",
    ];

    /// <summary>Opens every model the recipe names (folders resolved against the YAML file); the caller disposes the readers.</summary>
    public static Dictionary<string, CheckpointReader> OpenModels(RecipeDocument document)
    {
        var readers = new Dictionary<string, CheckpointReader>(StringComparer.Ordinal);
        try
        {
            var recipe = document.Recipe;
            foreach (var model in recipe.ReferencedModels())
            {
                if (model == recipe.TokenizerSource)
                    continue;
                var path = document.ResolveModel(model);
                if (!Directory.Exists(path))
                    throw new RecipeException(document.FilePath, MissingModel(document, model));
                try
                {
                    readers[model] = CheckpointReader.Open(path);
                }
                catch (SafetensorsException e)
                {
                    throw new RecipeException(
                        document.FilePath,
                        $"model '{model}': {e.Message}",
                        e
                    );
                }
            }
            return readers;
        }
        catch
        {
            foreach (var reader in readers.Values)
                reader.Dispose();
            throw;
        }
    }

    /// <summary>The one line for a model that resolves to no folder (a Hugging Face name gets the --model-map hint).</summary>
    public static string MissingModel(RecipeDocument document, string model)
    {
        var path = document.ResolveModel(model);
        bool hubLike =
            !document.IsMapped(model)
            && !Path.IsPathRooted(model)
            && !model.StartsWith('.')
            && model.Count(c => c == '/') == 1;
        return $"model folder '{model}' not found ({path})"
            + (
                hubLike
                    ? "; evomerge reads local folders only: map this Hugging Face name to a folder with --model-map"
                    : ""
            );
    }

    /// <summary>Plans a recipe over models on disk.</summary>
    public static MergePlan Plan(
        RecipeDocument document,
        IReadOnlyDictionary<string, CheckpointReader> readers
    )
    {
        try
        {
            var inventories = readers.ToDictionary(
                kv => kv.Key,
                kv => ModelInventory.FromCheckpoint(kv.Key, kv.Value)
            );
            return MergePlanner.Plan(document, inventories);
        }
        catch (SafetensorsException e)
        {
            throw new RecipeException(document.FilePath, e.Message, e);
        }
    }

    /// <summary>Merges <paramref name="document"/> into <paramref name="outputDirectory"/>.</summary>
    /// <param name="document">The recipe and where it came from.</param>
    /// <param name="outputDirectory">The checkpoint folder to create (replaced if it exists).</param>
    /// <param name="options">Device, seed, shard size.</param>
    /// <param name="progress">Called after each output tensor.</param>
    /// <param name="adjustPlan">Optional change to the plan before running (e.g. count consensus, which mergekit YAML cannot express).</param>
    public static MergePlan Run(
        RecipeDocument document,
        string outputDirectory,
        MergeOptions options,
        IProgress<MergeProgress>? progress = null,
        Func<MergePlan, MergePlan>? adjustPlan = null
    )
    {
        var readers = OpenModels(document);
        try
        {
            SourceValidator.CheckSources(document, readers);
            var plan = Plan(document, readers);
            if (adjustPlan is not null)
                plan = adjustPlan(plan);
            var files = ExtraFiles(document, plan, readers);
            if (files.FirstOrDefault(f => f.Name == "config.json").Text is { } config)
                SourceValidator.CheckOutput(document, plan, config);
            try
            {
                Execute(plan, readers, outputDirectory, options, files, progress);
            }
            catch (NonFiniteResultException e)
            {
                throw new RecipeException(document.FilePath, e.Message, e);
            }
            return plan;
        }
        finally
        {
            foreach (var reader in readers.Values)
                reader.Dispose();
        }
    }

    /// <summary>config.json (patched), generation_config.json and tokenizer files for the output.</summary>
    static List<(string Name, string? SourcePath, string? Text)> ExtraFiles(
        RecipeDocument document,
        MergePlan plan,
        IReadOnlyDictionary<string, CheckpointReader> readers
    )
    {
        var recipe = document.Recipe;
        var configModel = recipe.BaseModel ?? plan.ReferenceModel;
        var configFolder = readers[configModel].Path;
        var files = new List<(string, string?, string?)>();
        var configPath = Path.Combine(configFolder, "config.json");
        if (File.Exists(configPath))
        {
            JsonNode config;
            try
            {
                config =
                    JsonNode.Parse(File.ReadAllText(configPath))
                    ?? throw new JsonException("empty");
            }
            catch (JsonException e)
            {
                throw new RecipeException(
                    document.FilePath,
                    $"config.json of '{configModel}' is not valid JSON ({e.Message})"
                );
            }
            if (config["num_hidden_layers"] is not null)
                config["num_hidden_layers"] = plan.OutputLayers;
            if (
                config["layer_types"] is JsonArray types
                && types.Count != plan.OutputLayers
                && types.Count > 0
            )
            {
                var first = types[0]!.ToJsonString();
                var patched = new JsonArray();
                for (int i = 0; i < plan.OutputLayers; i++)
                    patched.Add(JsonNode.Parse(first));
                config["layer_types"] = patched;
            }
            var dtype = plan
                .Tensors.GroupBy(t => t.OutputDtype)
                .OrderByDescending(g => g.Sum(t => t.ElementCount))
                .First()
                .Key.ToHfName();
            bool set = false;
            foreach (var key in new[] { "dtype", "torch_dtype" })
                if (config[key] is not null)
                {
                    config[key] = dtype;
                    set = true;
                }
            if (!set)
                config["dtype"] = dtype;
            files.Add(
                (
                    "config.json",
                    null,
                    config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
                )
            );
        }
        var generation = Path.Combine(configFolder, "generation_config.json");
        if (File.Exists(generation))
            files.Add(("generation_config.json", generation, null));
        var tokenizerModel = recipe.TokenizerSource switch
        {
            null or "base" => recipe.BaseModel ?? plan.ReferenceModel,
            "union" => throw new RecipeException(
                document.FilePath,
                "tokenizer_source 'union' (vocabulary merging) is not supported; name a model"
            ),
            var other => other,
        };
        var tokenizerFolder = readers.TryGetValue(tokenizerModel, out var tokReader)
            ? tokReader.Path
            : document.ResolveModel(tokenizerModel);
        if (!Directory.Exists(tokenizerFolder))
            throw new RecipeException(
                document.FilePath,
                $"tokenizer_source folder '{tokenizerModel}' not found ({tokenizerFolder})"
            );
        foreach (var name in TokenizerFiles)
        {
            var path = Path.Combine(tokenizerFolder, name);
            if (File.Exists(path))
                files.Add((name, path, null));
        }
        if (recipe.ChatTemplate is { } choice)
            ChatTemplateFiles.Apply(
                document,
                choice,
                tokenizerModel,
                tokenizerFolder,
                readers,
                files
            );
        return files;
    }

    /// <summary>Runs a plan over opened checkpoints and writes the output folder atomically.</summary>
    public static void Execute(
        MergePlan plan,
        IReadOnlyDictionary<string, CheckpointReader> readers,
        string outputDirectory,
        MergeOptions options,
        IReadOnlyList<(string Name, string? SourcePath, string? Text)> extraFiles,
        IProgress<MergeProgress>? progress = null
    )
    {
        var device = options.Device;
        var specs = plan
            .Tensors.Select(t => new TensorSpec(
                t.Name,
                SafetensorsDtypes.FromScalarType(t.OutputDtype),
                t.Shape
            ))
            .ToList();
        using var scratch = new MergeScratch(
            device,
            options.ComputeDtype,
            options.ChunkElements,
            options.Backend
        );
        var maxElements = plan.Tensors.Max(t => t.ElementCount);
        if (
            plan.Tensors.Any(t =>
                t.Operation
                    is TaskArithmeticOperation
                    {
                        Sparsification: Sparsification.Magnitude
                            or Sparsification.MagnitudeOutliers
                            or Sparsification.Variance
                    }
            )
        )
            scratch.Reserve(maxElements);
        using var buffers = new BufferPool();
        // Reserve every buffer at its largest size first, so none is reallocated mid-merge.
        foreach (
            var group in plan
                .Tensors.SelectMany(t =>
                    t.Inputs.Select(
                        (input, slot) => (slot, info: readers[input.Model].Info(input.Tensor))
                    )
                )
                .GroupBy(x => (x.slot, x.info.Dtype))
        )
        {
            long largest = group.Max(x => x.info.ElementCount);
            buffers
                .Get(("host", group.Key.slot), group.Key.Dtype.ToScalarType(), CPU, largest)
                .Dispose();
            if (device.type != DeviceType.CPU)
                buffers
                    .Get(
                        ("device", group.Key.slot),
                        group.Key.Dtype.ToScalarType(),
                        device,
                        largest
                    )
                    .Dispose();
        }
        foreach (var group in plan.Tensors.GroupBy(t => t.OutputDtype))
            buffers.Get(("out", 0), group.Key, device, group.Max(t => t.ElementCount)).Dispose();
        using var writer = new CheckpointWriter(outputDirectory, specs, options.MaxShardBytes);
        long bytesRead = 0;
        int done = 0;
        foreach (var tensor in plan.Tensors)
        {
            using var scope = NewDisposeScope();
            var inputs = new List<Tensor>(tensor.Inputs.Count);
            for (int slot = 0; slot < tensor.Inputs.Count; slot++)
            {
                var input = tensor.Inputs[slot];
                var file = readers[input.Model].FileOf(input.Tensor);
                var info = file.Info(input.Tensor);
                var host = buffers.Get(
                    ("host", slot),
                    info.Dtype.ToScalarType(),
                    CPU,
                    info.ElementCount
                );
                file.CopyInto(info, host);
                bytesRead += info.ByteLength;
                var onDevice = host;
                if (device.type != DeviceType.CPU)
                    onDevice = buffers
                        .Get(("device", slot), host.dtype, device, info.ElementCount)
                        .copy_(host);
                inputs.Add(onDevice.view(tensor.Shape.ToArray()));
            }
            var output = buffers
                .Get(("out", 0), tensor.OutputDtype, device, tensor.ElementCount)
                .view(tensor.Shape.ToArray());
            TensorMerger.Merge(tensor, inputs, output, scratch, options.Seed);
            // A NaN/Inf weight loads but generates garbage: refuse it before it is written.
            if (!output.isfinite().all().item<bool>())
                throw new NonFiniteResultException(tensor.Name);
            writer.Write(tensor.Name, output);
            done++;
            progress?.Report(new MergeProgress(done, plan.Tensors.Count, tensor.Name, bytesRead));
        }
        foreach (var (name, source, text) in extraFiles)
        {
            if (source is not null)
                writer.AddFile(name, source);
            else
                writer.AddText(name, text!);
        }
        writer.Commit();
    }

    /// <summary>A merged tensor holds NaN or Inf (the output is not written).</summary>
    public sealed class NonFiniteResultException(string tensor)
        : Exception(
            $"merged tensor '{tensor}' has non-finite values (NaN/Inf); nothing was written: check the recipe's weights and the sources"
        )
    {
        /// <summary>The tensor at fault.</summary>
        public string Tensor { get; } = tensor;
    }

    /// <summary>Flat buffers reused across tensors, one per (role, dtype, device), grown to the largest request.</summary>
    sealed class BufferPool : IDisposable
    {
        readonly Dictionary<((string, int), ScalarType, string), Tensor> _buffers = [];

        public Tensor Get((string, int) role, ScalarType dtype, Device device, long elements)
        {
            var key = (role, dtype, device.ToString());
            if (!_buffers.TryGetValue(key, out var buffer) || buffer.numel() < elements)
            {
                buffer?.Dispose();
                buffer = torch
                    .empty([Math.Max(elements, 1)], dtype, device)
                    .DetachFromDisposeScope();
                _buffers[key] = buffer;
            }
            return buffer.narrow(0, 0, elements);
        }

        public void Dispose()
        {
            foreach (var buffer in _buffers.Values)
                buffer.Dispose();
        }
    }
}
