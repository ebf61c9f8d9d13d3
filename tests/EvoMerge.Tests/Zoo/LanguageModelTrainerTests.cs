using EvoMerge.Zoo.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Zoo;

public class LanguageModelTrainerTests
{
    /// <summary>A bigram model: enough to learn "after k comes k+1 (mod 10)".</summary>
    static (List<(string, Parameter)> Parameters, Func<Tensor, Tensor> Forward) Bigram(int vocab)
    {
        random.manual_seed(7);
        var embed = nn.Embedding(vocab, 16);
        var head = nn.Linear(16, vocab);
        var parameters = embed
            .named_parameters()
            .Select(p => ("embed_tokens." + p.name, p.parameter))
            .Concat(head.named_parameters().Select(p => ("lm_head." + p.name, p.parameter)))
            .ToList();
        return (parameters, ids => head.forward(embed.forward(ids)));
    }

    static TrainingReport TrainOnce()
    {
        var (parameters, forward) = Bigram(12);
        var documents = Enumerable
            .Range(0, 50)
            .Select(d => Enumerable.Range(d % 10, 12).Select(x => x % 10).ToArray())
            .ToList();
        var options = new TrainingOptions(
            Steps: 60,
            BatchSize: 4,
            SequenceLength: 16,
            LearningRate: 3e-2,
            MinLearningRate: 3e-3,
            WarmupSteps: 5,
            Seed: 3
        );
        return LanguageModelTrainer.Train(parameters, forward, documents, options, CPU);
    }

    [Fact]
    public void Loss_falls_and_runs_repeat_exactly()
    {
        var first = TrainOnce();
        var second = TrainOnce();
        Assert.True(
            first.FinalLoss < first.Losses[0] * 0.5,
            $"loss {first.Losses[0]} → {first.FinalLoss}"
        );
        Assert.Equal(first.Losses, second.Losses);
    }

    [Fact]
    public void Schedule_warms_up_then_decays_to_the_floor()
    {
        var options = new TrainingOptions(
            Steps: 100,
            LearningRate: 1e-3,
            MinLearningRate: 1e-4,
            WarmupSteps: 10
        );
        Assert.Equal(1e-4, options.LearningRateAt(0), 12);
        Assert.Equal(1e-3, options.LearningRateAt(9), 12);
        Assert.True(options.LearningRateAt(50) < 1e-3 && options.LearningRateAt(50) > 1e-4);
        Assert.Equal(1e-4, options.LearningRateAt(100), 12);
    }
}
