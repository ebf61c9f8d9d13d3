using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Cli.Options;
using EvoMerge.Models;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge generate <model-dir> --prompt "..." | --ids 1,2,3 [--max-new-tokens N]`: prints the greedy continuation (text for --prompt, ids as JSON for --ids).</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var modelDir = new Argument<string>("model-dir")
        {
            Description = "Hugging Face model folder.",
        };
        var prompt = new Option<string?>("--prompt", "-p")
        {
            Description = "Prompt text (needs the model's tokenizer).",
        };
        var ids = new Option<string?>("--ids")
        {
            Description = "Prompt token ids, comma-separated (no tokenizer needed).",
        };
        var maxNew = new Option<int>("--max-new-tokens", "-n")
        {
            Description = "New tokens at most.",
            DefaultValueFactory = _ => 64,
        };
        var temperature = new Option<double>("--temperature")
        {
            Description = "0 = greedy; otherwise sample.",
            DefaultValueFactory = _ => 0,
        };
        var topP = new Option<double>("--top-p")
        {
            Description = "Nucleus sampling threshold.",
            DefaultValueFactory = _ => 1.0,
        };
        var command = new Command(
            "generate",
            "Continue a prompt with the model (greedy unless --temperature)."
        );
        command.Arguments.Add(modelDir);
        foreach (var option in new Option[] { prompt, ids, maxNew, temperature, topP })
            command.Options.Add(option);
        var runtime = RuntimeOptions.AddTo(
            command,
            RuntimeOption.Device | RuntimeOption.Dtype | RuntimeOption.Seed
        );
        command.SetAction(parseResult =>
            ExitCodes.Guard(
                parseResult,
                () =>
                {
                    var folder = parseResult.GetValue(modelDir)!;
                    var text = parseResult.GetValue(prompt);
                    var idText = parseResult.GetValue(ids);
                    if ((text is null) == (idText is null))
                        throw new ArgumentException("give exactly one of --prompt or --ids");
                    var settings = runtime.Initialize(parseResult);
                    // --prompt: text through the model's tokenizer (BOS as tokenizer_config says), text out.
                    // --ids: ids in, ids out (no tokenizer needed).
                    var tokenizer = text is null ? null : TokenizerLoader.Load(folder);
                    IReadOnlyList<long> promptIds = tokenizer is null
                        ? ParseIds(idText!)
                        : tokenizer
                            .Encode(text!, addBos: tokenizer.AddBosToken)
                            .Select(i => (long)i)
                            .ToArray();
                    using var model = CausalLanguageModel.FromPretrained(
                        folder,
                        settings.Device,
                        settings.Dtype
                    );
                    var options = new GenerationOptions
                    {
                        MaxNewTokens = parseResult.GetValue(maxNew),
                        Temperature = parseResult.GetValue(temperature),
                        TopP = parseResult.GetValue(topP),
                        Seed = settings.Seed,
                    };
                    var result = Generation.Generate(model, [promptIds], options);
                    var tokens = result.Tokens[0];
                    parseResult.InvocationConfiguration.Output.WriteLine(
                        tokenizer is not null
                            ? tokenizer.Decode(tokens.Select(t => (int)t))
                            : JsonSerializer.Serialize(tokens.ToArray())
                    );
                    return 0;
                }
            )
        );
        return command;
    }

    static long[] ParseIds(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s =>
                long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                && id >= 0
                    ? id
                    : throw new FormatException($"--ids: '{s}' is not a token id")
            )
            .ToArray();
}
