using System.CommandLine;
using EvoMerge.Cli.Commands;

// The `evomerge` command: each subcommand lives in Commands/, one file each, and only parses
// arguments, calls the library and prints.
var root = new RootCommand("EvoMerge: evolutionary model merging (PS, DFS, PS+DFS) on TorchSharp.");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
