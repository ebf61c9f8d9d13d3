using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Common.Random;
using EvoMerge.Models;
using TorchSharp;

namespace EvoMerge.Benchmarks;

/// <summary>The random model and prompts the model benchmarks time.</summary>
internal static class BenchModel
{
    /// <summary>A model of <paramref name="config"/> built on the device with seeded random weights.</summary>
    public static CausalLanguageModel Random(HfConfig config, torch.Device device, string dtype)
    {
        var model = new CausalLanguageModel(
            config,
            device,
            SafetensorsDtypes.ParseTorchDtype(dtype)
        );
        model.InitializeRandom(seed: 1);
        return model;
    }

    /// <summary>
    /// <paramref name="batch"/> prompts of token ids 0…vocab−1, all <paramref name="tokens"/> long
    /// (no padding: every row does the same work).
    /// </summary>
    public static IReadOnlyList<long>[] Prompts(
        Xoshiro256StarStar random,
        int batch,
        int tokens,
        int vocab
    ) =>
        Enumerable
            .Range(0, batch)
            .Select(_ =>
                (IReadOnlyList<long>)
                    Enumerable.Range(0, tokens).Select(_ => (long)random.Next(vocab)).ToArray()
            )
            .ToArray();
}
