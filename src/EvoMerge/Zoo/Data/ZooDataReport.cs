using EvoMerge.Common;
using EvoMerge.Evaluation;

namespace EvoMerge.Zoo.Data;

/// <summary>What <see cref="ZooDataGenerator.Generate"/> wrote.</summary>
/// <param name="Folder">The output folder (as given in the options).</param>
/// <param name="Options">The options used.</param>
/// <param name="Files">Every file written, README last.</param>
public sealed record ZooDataReport(
    string Folder,
    ZooDataOptions Options,
    ValueArray<ZooDataFile> Files
);
