using System.Text.Json;
using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Checkpoints.Tokenizers.Training;
using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Models;
using EvoMerge.Zoo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Zoo.Building;

/// <summary>What one stage produced.</summary>
public sealed record ZooStageReport(string Name, string Folder, TrainingReport Training);

/// <summary>
/// Builds the tiny zoo from the task data: trains one SentencePiece BPE tokenizer on the bilingual
/// corpus, pretrains the base Llama, fine-tunes JA / MATH-A / MATH-B from it, and writes each as a
/// Hugging Face folder (bf16 safetensors, config.json, generation_config.json, tokenizer.model,
/// tokenizer_config.json) that transformers loads. Training runs in float32 on the CPU.
/// </summary>
public static class ZooBuilder
{
    public const string TokenizerFile = "tokenizer.model";

    public static IReadOnlyList<ZooStageReport> Build(
        ZooOptions options,
        IProgress<string>? progress = null
    )
    {
        var tokenizerPath = Path.Combine(options.OutputFolder, TokenizerFile);
        if (options.Only is { } only)
        {
            var unknown = only.Where(n => options.Stages.All(s => s.Name != n)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException(
                    $"unknown zoo stage(s) {string.Join(", ", unknown)}; stages: {string.Join(", ", options.Stages.Select(s => s.Name))}"
                );
            var existing = Path.Combine(
                options.OutputFolder,
                options.Stages[0].Name,
                TokenizerFile
            );
            if (!File.Exists(existing))
                throw new FileNotFoundException(
                    $"rebuilding only {string.Join(", ", only)} needs the existing zoo's tokenizer",
                    existing
                );
            progress?.Report($"tokenizer: reusing {existing}");
            File.Copy(existing, tokenizerPath, overwrite: true);
        }
        else
        {
            // Only a full build creates the folder: a rejected --only leaves nothing behind.
            Directory.CreateDirectory(options.OutputFolder);
            progress?.Report(
                $"tokenizer: training {options.VocabSize} pieces on the bilingual corpus"
            );
            TrainTokenizer(options).Save(tokenizerPath);
        }
        var reports = new List<ZooStageReport>();
        foreach (var stage in options.Stages)
        {
            if (options.Only is { } selected && !selected.Contains(stage.Name))
                continue;
            var folder = Path.Combine(options.OutputFolder, stage.Name);
            var report = TrainStage(options, stage, tokenizerPath, progress);
            reports.Add(new ZooStageReport(stage.Name, folder, report));
        }
        File.Delete(tokenizerPath);
        return reports;
    }

    /// <summary>The tokenizer sees the general corpus, Japanese text and both math styles (never the target splits).</summary>
    static SentencePieceModel TrainTokenizer(ZooOptions options)
    {
        var lines = new List<string>();
        foreach (var file in new[] { "pretrain.jsonl", "ja_text.jsonl" })
            lines.AddRange(ReadTexts(Path.Combine(options.TasksFolder, file)));
        foreach (var file in new[] { "en_math_a.jsonl", "en_math_b.jsonl" })
            lines.AddRange(
                TaskSetLoader
                    .Load(Path.Combine(options.TasksFolder, file))
                    .Items.SelectMany(i => new[] { i.Question, i.Answer })
            );
        return SentencePieceBpeTrainer.Train(
            lines,
            new SentencePieceTrainerOptions { VocabSize = options.VocabSize }
        );
    }

    static TrainingReport TrainStage(
        ZooOptions options,
        ZooStage stage,
        string tokenizerPath,
        IProgress<string>? progress
    )
    {
        var staging = Path.Combine(options.OutputFolder, $".{stage.Name}.tokenizer");
        Directory.CreateDirectory(staging);
        File.Copy(tokenizerPath, Path.Combine(staging, TokenizerFile), overwrite: true);
        WriteTokenizerConfig(staging);
        var tokenizer = TokenizerLoader.Load(staging);
        Directory.Delete(staging, recursive: true);

        var documents = LoadDocuments(options, stage, tokenizer);
        var config = HfConfig.Parse(options.Architecture.ToConfigJson().ToJsonString());
        using var model = new CausalLanguageModel(config, CPU, ScalarType.Float32);
        if (stage.From is null)
            model.InitializeRandom((long)options.Seed);
        else
            WeightLoader.Load(model, Path.Combine(options.OutputFolder, stage.From));

        progress?.Report(
            $"{stage.Name}: {documents.Count} documents, {stage.Training.Steps} steps"
        );
        // Inference modules keep weights frozen; training switches autograd on for this model only.
        var parameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        foreach (var (_, parameter) in parameters)
            parameter.requires_grad = true;
        var report = LanguageModelTrainer.Train(
            parameters,
            model.TrainingForward,
            documents,
            stage.Training,
            CPU,
            new SyncProgress<(int Step, double Loss)>(p =>
                progress?.Report(
                    $"{stage.Name}: step {p.Step}/{stage.Training.Steps} loss {p.Loss:F3}"
                )
            ),
            reportEvery: 25
        );
        Save(model, options, stage, tokenizerPath);
        return report;
    }

    static List<int[]> LoadDocuments(ZooOptions options, ZooStage stage, TextTokenizer tokenizer)
    {
        var path = Path.Combine(options.TasksFolder, stage.DataFile);
        IEnumerable<string> texts = stage.Template is null
            ? ReadTexts(path)
            : TaskSetLoader
                .Load(path)
                .Items.Select(i =>
                    new PromptTemplate(
                        stage.JapaneseTemplate is { } ja
                        && JapaneseScript.ContainsJapanese(i.Question)
                            ? ja
                            : stage.Template
                    ).RenderWithAnswer(i.Question, i.Answer)
                );
        return texts.Select(t => tokenizer.Encode(t, addBos: true).Append(2).ToArray()).ToList();
    }

    static IEnumerable<string> ReadTexts(string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l => JsonNode.Parse(l)!["text"]!.GetValue<string>());

    static void Save(
        CausalLanguageModel model,
        ZooOptions options,
        ZooStage stage,
        string tokenizerPath
    )
    {
        var target = Path.Combine(options.OutputFolder, stage.Name);
        var named = model.named_parameters().ToList();
        var plan = named
            .Select(p => new TensorSpec(p.name, SafetensorsDtype.BF16, p.parameter.shape))
            .ToList();
        using var writer = new CheckpointWriter(
            target,
            plan,
            metadata: new Dictionary<string, string> { ["format"] = "pt" },
            // The stage folders are this builder's by name, written before the marker existed.
            replaceAnyExisting: true
        );
        foreach (var (name, parameter) in named)
            writer.Write(name, parameter.detach());
        writer.AddText(
            "config.json",
            options
                .Architecture.ToConfigJson()
                .ToJsonString(new JsonSerializerOptions { WriteIndented = true })
        );
        writer.AddText("generation_config.json", """{ "bos_token_id": 1, "eos_token_id": 2 }""");
        writer.AddFile(TokenizerFile, tokenizerPath);
        writer.AddText("tokenizer_config.json", TokenizerConfigJson);
        writer.Commit();
    }

    const string TokenizerConfigJson = """
        {
          "tokenizer_class": "LlamaTokenizer",
          "bos_token": "<s>",
          "eos_token": "</s>",
          "unk_token": "<unk>",
          "add_bos_token": true,
          "add_eos_token": false
        }
        """;

    static void WriteTokenizerConfig(string folder) =>
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), TokenizerConfigJson);
}
