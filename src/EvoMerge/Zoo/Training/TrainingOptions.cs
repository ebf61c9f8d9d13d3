namespace EvoMerge.Zoo.Training;

/// <summary>Hyper-parameters of one (pre)training or fine-tuning run.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Sequences per step.</param>
/// <param name="SequenceLength">Tokens per sequence (packed windows).</param>
/// <param name="LearningRate">Peak learning rate (after linear warm-up).</param>
/// <param name="MinLearningRate">Floor of the cosine decay.</param>
/// <param name="WarmupSteps">Linear warm-up steps.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay (matrices only; norms and embeddings excluded).</param>
/// <param name="GradClip">Global gradient-norm clip.</param>
/// <param name="Seed">Seeds data order and dropout-free initialisation.</param>
public sealed record TrainingOptions(
    int Steps,
    int BatchSize = 16,
    int SequenceLength = 128,
    double LearningRate = 3e-3,
    double MinLearningRate = 3e-4,
    int WarmupSteps = 20,
    double WeightDecay = 0.1,
    double GradClip = 1.0,
    ulong Seed = 1
)
{
    /// <summary>Cosine schedule with linear warm-up (the nanoGPT recipe).</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps)
            return LearningRate * (step + 1) / WarmupSteps;
        double progress =
            Steps <= WarmupSteps ? 1 : (double)(step - WarmupSteps) / (Steps - WarmupSteps);
        return MinLearningRate
            + 0.5
                * (1 + Math.Cos(Math.PI * Math.Min(1, progress)))
                * (LearningRate - MinLearningRate);
    }
}
