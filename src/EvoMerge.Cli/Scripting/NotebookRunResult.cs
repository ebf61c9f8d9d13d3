namespace EvoMerge.Cli.Scripting;

/// <summary>What a notebook run did.</summary>
/// <param name="CellsRun">Code cells executed (including a failing one).</param>
/// <param name="FailedCell">1-based position of the failing cell among all cells, or null.</param>
/// <param name="Error">"cell N: ..." describing the failure, or null.</param>
/// <param name="WrittenTo">The notebook file written, or null when none was asked for.</param>
public sealed record NotebookRunResult(
    int CellsRun,
    int? FailedCell,
    string? Error,
    string? WrittenTo
)
{
    /// <summary>True when every code cell ran.</summary>
    public bool Succeeded => FailedCell is null;
}
