using System.Text;
using System.Text.Json.Nodes;

namespace EvoMerge.Cli.Scripting;

/// <summary>
/// The outputs of the cell being executed, in the order they happen: Console text merged into
/// stream outputs, displayed values and the cell's result as data outputs. Thread-safe, since
/// script code may print from worker threads.
/// </summary>
public sealed class CellOutputs
{
    readonly object _gate = new();
    readonly List<object> _parts = []; // (string stream, StringBuilder text) or JsonObject

    /// <summary>Appends Console text to the current stream output of that name, or starts one.</summary>
    public void Write(string stream, string text)
    {
        if (text.Length == 0)
            return;
        lock (_gate)
        {
            if (_parts.Count > 0 && _parts[^1] is StreamPart last && last.Name == stream)
                last.Text.Append(text);
            else
                _parts.Add(new StreamPart(stream, new StringBuilder(text)));
        }
    }

    /// <summary>Adds a finished output (display_data, execute_result or error).</summary>
    public void Add(JsonObject output)
    {
        lock (_gate)
            _parts.Add(output);
    }

    /// <summary>The outputs as nbformat JSON, and clears the list for the next cell.</summary>
    public JsonArray Take()
    {
        lock (_gate)
        {
            var outputs = new JsonArray();
            foreach (var part in _parts)
                outputs.Add(
                    part switch
                    {
                        StreamPart s => new JsonObject
                        {
                            ["name"] = s.Name,
                            ["output_type"] = "stream",
                            ["text"] = NotebookJson.Lines(s.Text.ToString()),
                        },
                        JsonObject o => o,
                        _ => throw new InvalidOperationException(),
                    }
                );
            _parts.Clear();
            return outputs;
        }
    }

    /// <summary>A writer that sends Console output into <paramref name="stream"/> ("stdout" or "stderr").</summary>
    public TextWriter Writer(string stream) => new StreamWriterAdapter(this, stream);

    sealed record StreamPart(string Name, StringBuilder Text);

    sealed class StreamWriterAdapter(CellOutputs outputs, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => outputs.Write(stream, value.ToString());

        public override void Write(string? value) => outputs.Write(stream, value ?? "");

        public override void Write(char[] buffer, int index, int count) =>
            outputs.Write(stream, new string(buffer, index, count));
    }
}
