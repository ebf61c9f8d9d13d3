using EvoMerge.Common;
using Microsoft.DotNet.Interactive.Documents;

namespace EvoMerge.Cli.Kernel;

/// <summary>What a notebook run did.</summary>
/// <param name="CellsRun">Code cells that ran successfully.</param>
/// <param name="CodeCells">Code cells in the notebook.</param>
/// <param name="FailedCell">1-based position (among all cells) of the failed cell, or null.</param>
/// <param name="Error">The failure message, or null.</param>
/// <param name="WrittenTo">The file the outputs were written to, or null.</param>
/// <param name="Elapsed">Wall time including the kernel's start.</param>
public sealed record NotebookRunResult(
    int CellsRun,
    int CodeCells,
    int? FailedCell,
    string? Error,
    string? WrittenTo,
    TimeSpan Elapsed
)
{
    /// <summary>True when every code cell ran.</summary>
    public bool Succeeded => FailedCell is null;
}

/// <summary>
/// Runs a notebook's code cells in order in one real kernel (<see cref="KernelSession"/>), like
/// "Run All" in VS Code, and records each cell's outputs as the kernel produced them. The kernel's
/// current directory is the notebook's folder. The run stops at the first failing cell; that cell
/// gets an error output, later cells lose their (now stale) outputs, and what ran is still written.
/// Each cell written with outputs carries the hash of the source they came from
/// (<see cref="NotebookDocuments.SourceHashKey"/>), so stale committed outputs can be detected.
/// </summary>
public static class NotebookRunner
{
    /// <summary>Default limit for one cell: long enough for a full-budget search cell.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Runs <paramref name="notebookPath"/>; writes it with outputs to <paramref name="outputPath"/>
    /// (atomically) unless that is null. One progress line per cell goes to <paramref name="log"/>.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(
        string notebookPath,
        string? outputPath,
        TextWriter log,
        TimeSpan? cellTimeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancel = default
    )
    {
        var full = Path.GetFullPath(notebookPath);
        var document = NotebookDocuments.Load(full);
        var cells = document.Elements;
        var codeCells = cells.Count(NotebookDocuments.IsCode);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int ran = 0,
            order = 0;
        int? failed = null;
        string? error = null;

        await using (
            var kernel = await KernelSession.StartAsync(
                Path.GetDirectoryName(full)!,
                environment,
                cancel: cancel
            )
        )
        {
            for (var i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                if (!NotebookDocuments.IsCode(cell))
                    continue;
                if (failed is not null)
                {
                    Clear(cell);
                    continue;
                }
                SubmissionResult result;
                try
                {
                    result = await kernel.SubmitAsync(
                        cell.Contents,
                        cellTimeout ?? DefaultCellTimeout,
                        cancel: cancel
                    );
                }
                catch (KernelException dead)
                {
                    result = new SubmissionResult(
                        false,
                        ValueArray<KernelOutput>.Empty,
                        dead.Message,
                        clock.Elapsed
                    );
                }
                cell.Outputs.Clear();
                cell.ExecutionOrder = ++order;
                cell.Outputs.AddRange(result.Outputs.Select(o => Element(o, order)));
                cell.Metadata ??= new Dictionary<string, object>();
                cell.Metadata[NotebookDocuments.SourceHashKey] = NotebookDocuments.SourceHash(
                    cell.Contents
                );
                if (result.Succeeded)
                {
                    ran++;
                    await log.WriteLineAsync(
                        $"cell {i + 1}: ok ({result.Elapsed.TotalSeconds:0.0} s)"
                    );
                    continue;
                }
                failed = i + 1;
                error = $"{Path.GetFileName(full)}: cell {i + 1}: {result.Error}";
                cell.Outputs.Add(new ErrorElement("Error", result.Error ?? "the cell failed", []));
                await log.WriteLineAsync($"cell {i + 1}: error");
            }
        }

        string? written = null;
        if (outputPath is not null)
        {
            written = Path.GetFullPath(outputPath);
            AtomicFile.WriteAllText(written, NotebookDocuments.Serialize(document, written));
        }
        return new NotebookRunResult(ran, codeCells, failed, error, written, clock.Elapsed);
    }

    /// <summary>The notebook output element for one kernel output.</summary>
    static InteractiveDocumentOutputElement Element(KernelOutput output, int order) =>
        output.Kind switch
        {
            KernelOutputKind.StandardOutput => new TextElement(output.Text, "stdout"),
            KernelOutputKind.StandardError => new TextElement(output.Text, "stderr"),
            KernelOutputKind.ReturnValue => ReturnValue(output, order),
            _ => new DisplayElement(
                output.Values.ToDictionary(v => v.MimeType, v => (object)v.Value)
            ),
        };

    static ReturnValueElement ReturnValue(KernelOutput output, int order)
    {
        var element = new ReturnValueElement { ExecutionOrder = order };
        foreach (var value in output.Values)
            element.Data[value.MimeType] = value.Value;
        return element;
    }

    static void Clear(InteractiveDocumentElement cell)
    {
        cell.Outputs.Clear();
        cell.ExecutionOrder = 0;
        cell.Metadata?.Remove(NotebookDocuments.SourceHashKey);
    }
}
