namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Globals of notebook cells: <c>display(x)</c> as in Polyglot notebooks, and an empty <c>Args</c>.
/// </summary>
public sealed class NotebookGlobals : ScriptGlobals
{
    readonly Action<object?> _show;

    /// <summary>Globals whose <c>display</c> hands values to <paramref name="show"/>.</summary>
    public NotebookGlobals(Action<object?> show)
        : base([]) => _show = show;

    /// <summary>Shows <paramref name="value"/> as an output of the running cell (text, table or chart); lower case as in Polyglot.</summary>
    public void display(object? value) => _show(value);
}
