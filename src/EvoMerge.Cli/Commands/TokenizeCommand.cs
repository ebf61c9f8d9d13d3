using System.CommandLine;
using System.Text.Json;
using EvoMerge.Checkpoints.Tokenizers;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge tokenize &lt;model-dir&gt; "text"`: prints the token ids as a JSON array.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var modelDir = new Argument<DirectoryInfo>("model-dir")
        {
            Description =
                "Model folder holding tokenizer.model, tokenizer.json or vocab.json + merges.txt.",
        };
        var text = new Argument<string>("text") { Description = "The text to tokenize." };
        var addBos = new Option<bool>("--add-bos")
        {
            Description =
                "Put the BOS id first (the model's add_bos_token is not applied otherwise).",
        };
        var command = new Command("tokenize", "Print the token ids of a text as a JSON array.");
        command.Arguments.Add(modelDir);
        command.Arguments.Add(text);
        command.Options.Add(addBos);
        command.SetAction(parseResult =>
            ExitCodes.Guard(
                parseResult,
                () =>
                {
                    var output = parseResult.InvocationConfiguration.Output;
                    var tokenizer = TokenizerLoader.Load(parseResult.GetValue(modelDir)!.FullName);
                    var ids = tokenizer.Encode(
                        parseResult.GetValue(text)!,
                        parseResult.GetValue(addBos)
                    );
                    output.WriteLine(JsonSerializer.Serialize(ids));
                    return 0;
                }
            )
        );
        return command;
    }
}
