using EvoMerge.Common;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EvoMerge.Zoo.Training;

/// <summary>What a training run did.</summary>
/// <param name="Losses">Mean loss over each reporting interval.</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Tokens">Tokens processed.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record TrainingReport(ValueArray<double> Losses, int Steps, long Tokens, double Seconds)
{
    public double FinalLoss => Losses.Count == 0 ? double.NaN : Losses[^1];
}

/// <summary>
/// Next-token training for the zoo: AdamW (decoupled weight decay on matrices only), cosine
/// schedule with warm-up, global gradient clipping, packed windows, float32 on the given device.
/// Deterministic on CPU for a fixed seed and thread count.
/// </summary>
public static class LanguageModelTrainer
{
    /// <param name="parameters">Named trainable parameters (names decide weight decay: 1-D tensors and embeddings get none).</param>
    /// <param name="logitsOf">input ids (B, T) → logits (B, T, V).</param>
    /// <param name="documents">Tokenized documents (BOS … EOS).</param>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="device">Where to train.</param>
    /// <param name="progress">Called every <paramref name="reportEvery"/> steps with (step, mean loss).</param>
    /// <param name="reportEvery">Reporting interval in steps.</param>
    public static TrainingReport Train(
        IReadOnlyList<(string Name, Parameter Parameter)> parameters,
        Func<Tensor, Tensor> logitsOf,
        IReadOnlyList<int[]> documents,
        TrainingOptions options,
        Device device,
        IProgress<(int Step, double Loss)>? progress = null,
        int reportEvery = 10
    )
    {
        var decay = parameters
            .Where(p => p.Parameter.dim() >= 2 && !p.Name.Contains("embed_tokens"))
            .Select(p => p.Parameter)
            .ToList();
        var noDecay = parameters
            .Where(p => !(p.Parameter.dim() >= 2 && !p.Name.Contains("embed_tokens")))
            .Select(p => p.Parameter)
            .ToList();
        using var optimizer = optim.AdamW(
            new[]
            {
                new AdamW.ParamGroup(
                    decay,
                    new AdamW.Options { weight_decay = options.WeightDecay }
                ),
                new AdamW.ParamGroup(noDecay, new AdamW.Options { weight_decay = 0 }),
            },
            lr: options.LearningRate,
            beta1: 0.9,
            beta2: 0.95,
            eps: 1e-8
        );
        var windows = new TokenWindows(documents, options.SequenceLength, options.Seed);
        var all = parameters.Select(p => p.Parameter).ToList();
        var losses = new List<double>();
        double intervalLoss = 0;
        int intervalSteps = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var batch = new long[options.BatchSize * (options.SequenceLength + 1)];
        for (int step = 0; step < options.Steps; step++)
        {
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = options.LearningRateAt(step);
            for (int b = 0; b < options.BatchSize; b++)
            {
                var window = windows.Next();
                for (int t = 0; t < window.Length; t++)
                    batch[b * window.Length + t] = window[t];
            }
            using var scope = NewDisposeScope();
            var tokens = tensor(
                batch,
                new long[] { options.BatchSize, options.SequenceLength + 1 },
                device: device
            );
            var inputs = tokens[.., ..^1];
            var targets = tokens[.., 1..];
            var logits = logitsOf(inputs); // (B, T, V)
            var loss = nn.functional.cross_entropy(
                logits.reshape(-1, logits.shape[^1]),
                targets.reshape(-1)
            );
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(all, options.GradClip);
            optimizer.step();
            intervalLoss += loss.item<float>();
            intervalSteps++;
            if (intervalSteps == reportEvery || step == options.Steps - 1)
            {
                losses.Add(intervalLoss / intervalSteps);
                progress?.Report((step + 1, intervalLoss / intervalSteps));
                intervalLoss = 0;
                intervalSteps = 0;
            }
        }
        return new TrainingReport(
            losses.ToValueArray(),
            options.Steps,
            (long)options.Steps * options.BatchSize * options.SequenceLength,
            clock.Elapsed.TotalSeconds
        );
    }
}
