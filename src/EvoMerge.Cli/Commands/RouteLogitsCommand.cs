using System.CommandLine;
using EvoMerge.Models;
using EvoMerge.Routing;
using EvoMerge.Runtime;
using TorchSharp;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge route-logits`: logits of a data-flow path over several models' layers.</summary>
internal static class RouteLogitsCommand
{
    public static Command Create()
    {
        var path = new Option<FileInfo>("--path")
        {
            Description = "path.json: {\"path\":[{\"model\":..,\"layer\":..,\"scale\":..}]}",
            Required = true,
        };
        var models = new Option<string>("--models")
        {
            Description = "name=folder,... (the first supplies embeddings, norm and head)",
            Required = true,
        };
        var input = new Option<FileInfo>("--input")
        {
            Description = "safetensors with input_ids (int64 [B,T]) and optional attention_mask",
            Required = true,
        };
        var output = new Option<FileInfo>("-o", "--output")
        {
            Description = "safetensors to write float32 logits [B,T,V] into",
            Required = true,
        };
        var command = new Command(
            "route-logits",
            "Run a DFS layer path over several models and write the logits."
        )
        {
            path,
            models,
            input,
            output,
        };
        command.SetAction(parse =>
            ExitCodes.Guard(
                parse,
                () =>
                {
                    TorchRuntime.Initialize();
                    var loaded = new Dictionary<string, CausalLanguageModel>(
                        StringComparer.Ordinal
                    );
                    try
                    {
                        var layerPath = LayerPath.Load(parse.GetValue(path)!.FullName);
                        var folders = ModelFolders.Parse(parse.GetValue(models)!);
                        foreach (var (name, folder) in folders)
                            loaded[name] = CausalLanguageModel.FromPretrained(
                                folder,
                                torch.CPU,
                                torch.ScalarType.Float32
                            );
                        var router = new Router(loaded, layerPath, folders[0].Name);
                        LogitsDump.Run(
                            router,
                            parse.GetValue(input)!.FullName,
                            parse.GetValue(output)!.FullName
                        );
                    }
                    finally
                    {
                        foreach (var model in loaded.Values)
                            model.Dispose();
                    }
                    return 0;
                }
            )
        );
        return command;
    }
}
