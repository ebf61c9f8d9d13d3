using System.Text.Json.Nodes;
using EvoMerge.Common;

namespace EvoMerge.Cli.Kernel;

/// <summary>
/// How to start the .NET Interactive kernel that VS Code Polyglot starts: <c>dotnet-interactive stdio</c>,
/// from the nearest local tool manifest that pins it (<c>dotnet tool run</c>; this repository's
/// <c>.config/dotnet-tools.json</c>) above the notebook, the current directory or this program,
/// else a global install on PATH.
/// </summary>
public sealed record KernelTool(
    string FileName,
    ValueArray<string> PrefixArguments,
    string WorkingDirectory
)
{
    const string ToolId = "microsoft.dotnet-interactive";

    /// <summary>Finds the tool for a notebook or script in <paramref name="folder"/>.</summary>
    /// <exception cref="KernelException">Neither a manifest entry nor a global command exists.</exception>
    public static KernelTool Find(string folder)
    {
        foreach (
            var start in new[] { folder, Environment.CurrentDirectory, AppContext.BaseDirectory }
        )
            for (
                var dir = Path.GetFullPath(start);
                dir is not null;
                dir = Path.GetDirectoryName(dir)
            )
            {
                var manifest = Path.Combine(dir, ".config", "dotnet-tools.json");
                if (File.Exists(manifest) && Pins(manifest))
                    return new KernelTool(
                        "dotnet",
                        ValueArray.Of("tool", "run", "dotnet-interactive", "--"),
                        dir
                    );
            }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Path.Combine(p, "dotnet-interactive"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
            return new KernelTool(onPath, ValueArray<string>.Empty, Path.GetFullPath(folder));
        throw new KernelException(
            $"dotnet-interactive not found for {folder}: run `dotnet tool restore` in the repository (it pins {ToolId}), or `dotnet tool install -g Microsoft.dotnet-interactive`"
        );
    }

    static bool Pins(string manifest)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[ToolId] is not null;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
