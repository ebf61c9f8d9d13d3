namespace EvoMerge.Zoo.Data;

/// <summary>One generated file.</summary>
/// <param name="Name">The file name inside the output folder.</param>
/// <param name="Items">JSONL lines (0 for non-JSONL files).</param>
/// <param name="Bytes">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the bytes.</param>
public sealed record ZooDataFile(string Name, int Items, long Bytes, string Sha256);
