using EvoMerge.Zoo.Training;

namespace EvoMerge.Zoo.Building;

/// <summary>One model of the zoo: trained from <paramref name="From"/> (null = random init) on one data file.</summary>
/// <param name="Name">Folder name under the zoo (base, ja, math-a, math-b).</param>
/// <param name="From">The stage whose weights it starts from, or null.</param>
/// <param name="DataFile">A JSONL file under the tasks folder.</param>
/// <param name="Template">For question/answer files: the training template (the evaluation prompt plus the answer); null for {"text"} files.</param>
/// <param name="Training">Optimizer settings.</param>
/// <param name="JapaneseTemplate">For question/answer files: the template for questions written in Japanese (a Japanese prompt, as the target uses); null uses <paramref name="Template"/> for every item.</param>
public sealed record ZooStage(
    string Name,
    string? From,
    string DataFile,
    string? Template,
    TrainingOptions Training,
    string? JapaneseTemplate = null
);
