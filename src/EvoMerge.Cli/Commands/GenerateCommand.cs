using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Models;
using EvoMerge.Runtime;
using TorchSharp;

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
        var seed = new Option<ulong>("--seed")
        {
            Description = "Sampling seed.",
            DefaultValueFactory = _ => 0,
        };
        var device = new Option<string>("--device")
        {
            Description = "auto, cpu, cuda or cuda:N.",
            DefaultValueFactory = _ => "auto",
        };
        var dtype = new Option<string?>("--dtype")
        {
            Description = "Compute dtype (default: float32 on CPU, bfloat16 on CUDA).",
        };
        var command = new Command(
            "generate",
            "Continue a prompt with the model (greedy unless --temperature)."
        );
        command.Arguments.Add(modelDir);
        foreach (
            var option in new Option[]
            {
                prompt,
                ids,
                maxNew,
                temperature,
                topP,
                seed,
                device,
                dtype,
            }
        )
            command.Options.Add(option);
        command.SetAction(parseResult =>
        {
            TorchRuntime.Initialize();
            var folder = parseResult.GetValue(modelDir)!;
            var text = parseResult.GetValue(prompt);
            var idText = parseResult.GetValue(ids);
            if ((text is null) == (idText is null))
            {
                parseResult.InvocationConfiguration.Error.WriteLine(
                    "give exactly one of --prompt or --ids"
                );
                return 2;
            }
            try
            {
                // --prompt: text through the model's tokenizer (BOS as tokenizer_config says), text out.
                // --ids: ids in, ids out (no tokenizer needed).
                var tokenizer = text is null ? null : TokenizerLoader.Load(folder);
                IReadOnlyList<long> promptIds = tokenizer is null
                    ? ParseIds(idText!)
                    : tokenizer
                        .Encode(text!, addBos: tokenizer.AddBosToken)
                        .Select(i => (long)i)
                        .ToArray();
                var dev = TorchRuntime.ResolveDevice(parseResult.GetValue(device));
                var computeDtype = parseResult.GetValue(dtype) is { } d
                    ? SafetensorsDtypes.ParseTorchDtype(d)
                    : (torch.ScalarType?)null;
                using var model = CausalLanguageModel.FromPretrained(folder, dev, computeDtype);
                var options = new GenerationOptions
                {
                    MaxNewTokens = parseResult.GetValue(maxNew),
                    Temperature = parseResult.GetValue(temperature),
                    TopP = parseResult.GetValue(topP),
                    Seed = parseResult.GetValue(seed),
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
            catch (Exception e)
                when (e
                        is HfConfigException
                            or SafetensorsException
                            or TokenizerLoadException
                            or ArgumentException
                            or FormatException
                )
            {
                parseResult.InvocationConfiguration.Error.WriteLine(ExitCodes.Describe(e));
                return ExitCodes.BadInput;
            }
        });
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
