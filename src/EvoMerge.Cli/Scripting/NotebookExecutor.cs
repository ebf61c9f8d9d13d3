using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Runs the C# cells of a Polyglot (.NET Interactive) <c>.ipynb</c> notebook headless, in one
/// script state, and writes the outputs back (<c>evomerge notebook run</c>).
/// </summary>
/// <remarks>
/// <para>Cells run in order, like "Run All" in VS Code: each continues the previous cell's state
/// (<c>ScriptState.ContinueWithAsync</c>); markdown cells are skipped; a leading <c>#!csharp</c> is
/// accepted, any other kernel (<c>#!fsharp</c>, <c>#!pwsh</c>, ...) is an error. <c>#r</c> and
/// <c>#load</c> resolve like in <see cref="ScriptRunner"/>, relative to the notebook's folder, which
/// is also the current directory while it runs (as in VS Code Polyglot).</para>
/// <para>The first code cell loads the library exactly as in VS Code:
/// <c>#load "../scripts/_setup.csx"</c>. VS Code Polyglot users run <c>dotnet build -c Release</c>
/// once at the repository root so that the <c>#r</c> paths inside _setup.csx exist; this executor
/// binds them to its own loaded assemblies instead.</para>
/// <para>Outputs: Console text (stream), <c>display(x)</c> (display_data) and the trailing
/// expression's value (execute_result), formatted by <see cref="OutputFormatter"/>. At the first
/// failing cell the run stops with "cell N: error"; that cell gets an error output, later cells
/// lose their stale outputs, and what ran is still written.</para>
/// </remarks>
public static class NotebookExecutor
{
    static readonly HashSet<string> CSharpNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "csharp",
        "c#",
        "cs",
    };

    /// <summary>
    /// Executes <paramref name="notebookPath"/>; writes the notebook with outputs to
    /// <paramref name="outputPath"/> (atomically) unless it is null. Progress lines go to <paramref name="log"/>.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(
        string notebookPath,
        string? outputPath,
        TextWriter log,
        CancellationToken cancel = default
    )
    {
        var full = Path.GetFullPath(notebookPath);
        var notebook = NotebookJson.Load(full);
        var cells = notebook["cells"]!.AsArray();
        var outputs = new CellOutputs();
        var formatter = new OutputFormatter();
        var current = 0; // 1-based position of the running cell, for chart ids
        var globals = new NotebookGlobals(v => outputs.Add(formatter.DisplayData(v, current)));
        var loader = ScriptSetup.Loader();
        ScriptState<object>? state = null;
        int executed = 0;
        int? failed = null;
        string? error = null;

        using (await ScriptExecutionGate.EnterAsync(Path.GetDirectoryName(full)!, cancel))
        {
            var (stdout, stderr) = (Console.Out, Console.Error);
            Console.SetOut(outputs.Writer("stdout"));
            Console.SetError(outputs.Writer("stderr"));
            try
            {
                for (var i = 0; i < cells.Count; i++)
                {
                    if (cells[i] is not JsonObject cell || (string?)cell["cell_type"] != "code")
                        continue;
                    current = i + 1;
                    if (failed is not null)
                    {
                        Clear(cell);
                        continue;
                    }
                    var code = NotebookJson.Source(cell["source"]);
                    outputs.Take();
                    var foreign = ForeignKernel(cell, ref code);
                    if (string.IsNullOrWhiteSpace(code) && foreign is null)
                    {
                        Clear(cell);
                        continue;
                    }
                    executed++;
                    var clock = Stopwatch.StartNew();
                    string? cellError;
                    if (foreign is not null)
                    {
                        cellError =
                            $"'{foreign}' cells are not supported: this executor runs C# cells only";
                        outputs.Add(ErrorOutput("UnsupportedKernel", cellError, []));
                    }
                    else
                    {
                        (state, cellError) = await RunCellAsync(
                            state,
                            code,
                            $"{full}#cell{current}",
                            globals,
                            loader,
                            outputs,
                            formatter,
                            current,
                            executed,
                            cancel
                        );
                    }
                    cell["execution_count"] = executed;
                    cell["outputs"] = outputs.Take();
                    if (cellError is not null)
                    {
                        failed = current;
                        error = $"cell {current}: {cellError}";
                        await log.WriteLineAsync(error);
                    }
                    else
                        await log.WriteLineAsync(
                            $"cell {current}: ok ({clock.Elapsed.TotalSeconds:0.0} s)"
                        );
                }
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }

        if (outputPath is not null)
            NotebookJson.Save(notebook, outputPath);
        return new NotebookRunResult(
            executed,
            failed,
            error,
            outputPath is null ? null : Path.GetFullPath(outputPath)
        );
    }

    static async Task<(ScriptState<object>? State, string? Error)> RunCellAsync(
        ScriptState<object>? state,
        string code,
        string cellPath,
        NotebookGlobals globals,
        Microsoft.CodeAnalysis.Scripting.Hosting.InteractiveAssemblyLoader loader,
        CellOutputs outputs,
        OutputFormatter formatter,
        int cell,
        int executionCount,
        CancellationToken cancel
    )
    {
        var options = ScriptSetup.Options(cellPath);
        ScriptState<object> next;
        try
        {
            next = state is null
                ? await CSharpScript
                    .Create(code, options, typeof(NotebookGlobals), loader)
                    .RunAsync(globals, catchException: _ => true, cancel)
                : await state.ContinueWithAsync(code, options, catchException: _ => true, cancel);
        }
        catch (CompilationErrorException compile)
        {
            var lines = ScriptDiagnostics.Errors(compile.Diagnostics);
            outputs.Add(ErrorOutput("CompilationError", string.Join("\n", lines), lines));
            return (state, lines.FirstOrDefault() ?? compile.Message);
        }
        if (next.Exception is { } exception)
        {
            var description = ScriptErrors.Describe(exception);
            outputs.Add(
                ErrorOutput(exception.GetType().Name, exception.Message, description.Split('\n'))
            );
            return (next, description);
        }
        try
        {
            if (HasTrailingValue(next.Script.GetCompilation(), cellPath))
                outputs.Add(formatter.ExecuteResult(next.ReturnValue, cell, executionCount));
        }
        catch (Exception ex)
        {
            outputs.Add(ErrorOutput(ex.GetType().Name, ex.Message, [ex.Message]));
            return (next, $"could not show the cell's value: {ex.Message}");
        }
        return (next, null);
    }

    /// <summary>True when the cell ends with an expression without ';' whose type is not void: its value is shown.</summary>
    static bool HasTrailingValue(Compilation compilation, string cellPath)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == cellPath);
        if (tree?.GetRoot() is not CompilationUnitSyntax unit)
            return false;
        if (
            unit.Members.LastOrDefault()
            is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }
        )
            return false;
        if (!statement.SemicolonToken.IsMissing)
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    /// <summary>
    /// The kernel of a cell that is not C# ("#!fsharp" or its metadata), or null. A leading
    /// "#!csharp" line is blanked (not removed, so line numbers in errors stay right).
    /// </summary>
    static string? ForeignKernel(JsonObject cell, ref string code)
    {
        var kernel =
            (string?)cell["metadata"]?["polyglot_notebook"]?["kernelName"]
            ?? (string?)cell["metadata"]?["dotnet_interactive"]?["language"];
        var lines = code.Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first >= 0 && lines[first].TrimStart().StartsWith("#!", StringComparison.Ordinal))
        {
            var magic = lines[first].Trim()[2..].Split(' ', 2)[0];
            if (!CSharpNames.Contains(magic))
                return "#!" + magic;
            lines[first] = "";
            code = string.Join('\n', lines);
            return null;
        }
        return kernel is null || CSharpNames.Contains(kernel) ? null : kernel;
    }

    static void Clear(JsonObject cell)
    {
        cell["execution_count"] = null;
        cell["outputs"] = new JsonArray();
    }

    static JsonObject ErrorOutput(string name, string message, IEnumerable<string> traceback) =>
        new()
        {
            ["ename"] = name,
            ["evalue"] = message,
            ["output_type"] = "error",
            ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode?)t).ToArray()),
        };
}
