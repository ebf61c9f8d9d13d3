using System.CommandLine;
using EvoMerge.Models;
using EvoMerge.Runtime;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge logits <model-dir> --input in.safetensors -o out.safetensors`: float32 logits on CPU.</summary>
internal static class LogitsCommand
{
    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir")
        {
            Description = "Hugging Face model folder (config.json + safetensors).",
        };
        var input = new Option<string>("--input", "-i")
        {
            Description =
                "safetensors file with input_ids (int64 [B,T]) and optional attention_mask.",
            Required = true,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "safetensors file to write logits (float32 [B,T,V]) to.",
            Required = true,
        };
        var command = new Command(
            "logits",
            "Compute next-token logits for token ids, in float32 on CPU."
        );
        command.Arguments.Add(modelDir);
        command.Options.Add(input);
        command.Options.Add(output);
        command.SetAction(parseResult =>
            ExitCodes.Guard(
                parseResult,
                () =>
                {
                    TorchRuntime.Initialize();
                    var shape = LogitsDump.Run(
                        parseResult.GetValue(modelDir)!,
                        parseResult.GetValue(input)!,
                        parseResult.GetValue(output)!
                    );
                    parseResult.InvocationConfiguration.Output.WriteLine(
                        $"logits [{string.Join(", ", shape)}] -> {parseResult.GetValue(output)}"
                    );
                    return 0;
                }
            )
        );
        return command;
    }
}
