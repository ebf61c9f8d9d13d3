using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace EvoMerge.Cli.Kernel;

/// <summary>
/// Reads and writes notebooks with .NET Interactive's own document model (the parser VS Code
/// Polyglot uses): <c>.ipynb</c> through <see cref="Notebook"/>, <c>.dib</c> through <see cref="CodeSubmission"/>.
/// </summary>
public static class NotebookDocuments
{
    /// <summary>Cell metadata key holding the SHA-256 of the source its outputs were made from.</summary>
    public const string SourceHashKey = "evomerge_source_sha256";

    /// <summary>The kernels a notebook here may name: C# (the default), and markdown cells.</summary>
    public static KernelInfoCollection Kernels()
    {
        var kernels = new KernelInfoCollection
        {
            new KernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
            new KernelInfo("markdown", "Markdown", ["md"]),
        };
        kernels.DefaultKernelName = "csharp";
        return kernels;
    }

    /// <summary>Parses <paramref name="path"/>; a malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static InteractiveDocument Load(string path)
    {
        var text = File.ReadAllText(path);
        try
        {
            return IsDib(path)
                ? CodeSubmission.Parse(text, Kernels())
                : Notebook.Parse(text, Kernels());
        }
        catch (Exception e)
            when (e
                    is System.Text.Json.JsonException
                        or FormatException
                        or InvalidOperationException
                        or ArgumentException
            )
        {
            throw new InvalidDataException($"{path}: not a readable notebook ({e.Message})", e);
        }
    }

    /// <summary>The notebook as file text for <paramref name="path"/>'s format (LF line endings).</summary>
    public static string Serialize(InteractiveDocument document, string path)
    {
        using var stream = new MemoryStream();
        if (IsDib(path))
        {
            CodeSubmission.Write(document, stream, Kernels(), "\n");
            return Encoding.UTF8.GetString(stream.ToArray()).ReplaceLineEndings("\n");
        }
        Notebook.Write(document, stream, Kernels());
        // The writer also adds its KernelInfoCollection as top-level "kernelInfo"; the notebook's own
        // copy (what VS Code reads) is polyglot_notebook.kernelInfo, so the extra one is dropped.
        var notebook = JsonNode.Parse(stream.ToArray())!.AsObject();
        (notebook["metadata"] as JsonObject)?.Remove("kernelInfo");
        return notebook.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>True for the cells the kernel runs (code, not markdown, not empty).</summary>
    public static bool IsCode(InteractiveDocumentElement cell) =>
        cell.KernelName is not ("markdown" or "md") && cell.Contents.Trim().Length > 0;

    /// <summary>SHA-256 (hex) of a cell's source with line endings normalized.</summary>
    public static string SourceHash(string contents) =>
        Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(contents.ReplaceLineEndings("\n")))
        );

    static bool IsDib(string path) =>
        Path.GetExtension(path).Equals(".dib", StringComparison.OrdinalIgnoreCase);
}
