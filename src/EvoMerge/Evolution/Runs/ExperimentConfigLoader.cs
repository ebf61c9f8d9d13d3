using EvoMerge.Common;
using YamlDotNet.RepresentationModel;

namespace EvoMerge.Evolution.Runs;

/// <summary>A run config is malformed; the message names the file and the problem.</summary>
public sealed class ExperimentConfigException(string file, string problem)
    : Exception($"{file}: {problem}")
{
    public string File { get; } = file;
    public string Problem { get; } = problem;
}

/// <summary>Reads experiment configs (YAML; keys in snake_case; paths relative to the file).</summary>
public static class ExperimentConfigLoader
{
    static readonly HashSet<string> Known =
    [
        "name",
        "mode",
        "seed",
        "device",
        "budget",
        "population",
        "sigma",
        "base_model",
        "sources",
        "method",
        "layer_groups",
        "model_a",
        "model_b",
        "repeats",
        "evolve_scales",
        "initial_off",
        "fitness",
        "validation",
        "held_in",
        "allow_test_split_for_fitness",
    ];

    static readonly string[] TaskKeys =
    [
        "task",
        "limit",
        "prompt",
        "metric",
        "max_new_tokens",
        "batch_size",
    ];

    public static ExperimentConfig Load(string file)
    {
        if (!File.Exists(file))
            throw new ExperimentConfigException(file, "no such file");
        try
        {
            return Parse(File.ReadAllText(file), Path.GetFullPath(file));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ExperimentConfigException(
                file,
                $"invalid YAML at line {e.Start.Line}: {e.Message}"
            );
        }
    }

    public static ExperimentConfig Parse(string yaml, string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ExperimentConfigException(file, "expected a mapping at the top level");
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        var map = root.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "",
            kv => kv.Value
        );
        foreach (var key in map.Keys.Where(k => !Known.Contains(k)))
            throw new ExperimentConfigException(
                file,
                $"unknown key '{key}'{DidYouMean.Hint(key, Known)} (known: {string.Join(", ", Known)})"
            );

        string? Text(string key) =>
            !map.TryGetValue(key, out var node) ? null
            : node is YamlScalarNode scalar ? scalar.Value
            : throw new ExperimentConfigException(
                file,
                $"'{key}' must be a single value, found a {(node is YamlSequenceNode ? "list" : "mapping")}"
            );
        string? PathOf(string key) =>
            Text(key) is { } p ? Path.GetFullPath(Path.Combine(folder, p)) : null;
        T Number<T>(string key, T fallback)
            where T : IParsable<T> =>
            Text(key) is { } s
                ? (
                    T.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var v)
                        ? v
                        : throw new ExperimentConfigException(file, $"'{key}': not a number: {s}")
                )
                : fallback;

        var modeText =
            Text("mode")
            ?? throw new ExperimentConfigException(
                file,
                "missing 'mode' (ps, dfs, ps+dfs or nsga2)"
            );
        var mode = modeText switch
        {
            "ps" => SearchMode.Ps,
            "dfs" => SearchMode.Dfs,
            "ps+dfs" => SearchMode.PsDfs,
            "nsga2" => SearchMode.Nsga2,
            _ => throw new ExperimentConfigException(
                file,
                $"unknown mode '{modeText}' (ps, dfs, ps+dfs or nsga2)"
            ),
        };
        var fitness =
            map.TryGetValue("fitness", out var fitnessNode) && fitnessNode is YamlSequenceNode seq
                ? seq.Children.Select(n => Task(file, folder, n)).ToValueArray()
                : throw new ExperimentConfigException(file, "missing 'fitness' (a list of tasks)");
        if (fitness.Count == 0)
            throw new ExperimentConfigException(file, "'fitness' is empty");
        var config = new ExperimentConfig
        {
            Name = Text("name") ?? Path.GetFileNameWithoutExtension(file),
            Mode = mode,
            Seed = Number<ulong>("seed", 1),
            Device = Text("device") ?? "auto",
            Budget = Number("budget", 100),
            Population = Text("population") is null ? null : Number("population", 0),
            Sigma = Number("sigma", 1.0 / 6),
            BaseModel = PathOf("base_model"),
            Sources =
                map.TryGetValue("sources", out var sources) && sources is YamlSequenceNode list
                    ? list
                        .Children.Select(n =>
                            Path.GetFullPath(Path.Combine(folder, ((YamlScalarNode)n).Value!))
                        )
                        .ToValueArray()
                    : ValueArray<string>.Empty,
            Method = Text("method") ?? "dare_ties",
            LayerGroups = Number("layer_groups", 1),
            ModelA = PathOf("model_a"),
            ModelB = PathOf("model_b"),
            Repeats = Number("repeats", 2),
            EvolveScales = Text("evolve_scales") is not "false",
            InitialOff = Number("initial_off", -0.5),
            Fitness = fitness,
            Validation = map.TryGetValue("validation", out var v) ? Task(file, folder, v) : null,
            HeldIn = map.TryGetValue("held_in", out var heldIn)
                ? heldIn is YamlSequenceNode tasks
                    ? tasks
                        .Children.Select(n =>
                            n is YamlScalarNode { Value: null or "" or "~" or "null" }
                                ? null
                                : Task(file, folder, n)
                        )
                        .ToValueArray()
                    : throw new ExperimentConfigException(
                        file,
                        "'held_in' must be a list of tasks (or null), one per source"
                    )
                : ValueArray<FitnessTask?>.Empty,
            AllowTestSplitForFitness = Text("allow_test_split_for_fitness") == "true",
            SourceFile = file,
        };
        Validate(config, file);
        return config;
    }

    static FitnessTask Task(string file, string folder, YamlNode node)
    {
        if (node is not YamlMappingNode task)
            throw new ExperimentConfigException(
                file,
                "each task must be a mapping with 'task', 'prompt', 'metric'"
            );
        var map = task.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "",
            kv =>
                kv.Value is YamlScalarNode scalar
                    ? scalar.Value ?? ""
                    : throw new ExperimentConfigException(
                        file,
                        $"task key '{((YamlScalarNode)kv.Key).Value}' must be a single value"
                    )
        );
        foreach (var key in map.Keys.Where(k => !TaskKeys.Contains(k)))
            throw new ExperimentConfigException(
                file,
                $"unknown task key '{key}'{DidYouMean.Hint(key, TaskKeys)} (known: {string.Join(", ", TaskKeys)})"
            );
        string Get(string key) =>
            map.TryGetValue(key, out var s)
                ? s
                : throw new ExperimentConfigException(file, $"task without '{key}'");
        int Int(string key, int fallback) =>
            !map.TryGetValue(key, out var s) ? fallback
            : int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 0
                ? n
            : throw new ExperimentConfigException(
                file,
                $"task '{map.GetValueOrDefault("task")}': '{key}' must be a whole number >= 0, got '{s}'"
            );
        return new FitnessTask(
            Path.GetFullPath(Path.Combine(folder, Get("task"))),
            Int("limit", 0),
            Get("prompt"),
            map.GetValueOrDefault("metric", "ja-exact-match"),
            Int("max_new_tokens", 40),
            Int("batch_size", 64)
        );
    }

    static void Validate(ExperimentConfig c, string file)
    {
        void Require(bool ok, string problem)
        {
            if (!ok)
                throw new ExperimentConfigException(file, problem);
        }
        // The name is a folder under --runs (and --force deletes it): one plain path segment only.
        Require(
            c.Name.Length > 0
                && c.Name is not "." and not ".."
                && c.Name.IndexOfAny(['/', '\\', '\0']) < 0
                && c.Name.Trim() == c.Name,
            $"'name' must be a plain folder name (no '/', '\\', '.', '..' or outer spaces), got '{c.Name}'"
        );
        Require(c.Budget > 0, "'budget' must be positive");
        Require(c.Sigma > 0, "'sigma' must be positive");
        if (c.Mode is SearchMode.Ps or SearchMode.Nsga2)
        {
            Require(c.BaseModel is not null, "PS needs 'base_model'");
            Require(c.Sources.Count > 0, "PS needs 'sources'");
            Require(c.LayerGroups >= 1, "'layer_groups' must be at least 1");
            var refusal = EvoMerge.Evolution.Genomes.PsGene.Refusal(c.Method);
            Require(refusal is null, $"'method': {refusal}");
        }
        if (c.Mode == SearchMode.Nsga2)
            Require(
                c.Fitness.Count >= 2,
                "nsga2 needs at least two fitness tasks (one objective each)"
            );
        if (c.Mode is SearchMode.Dfs or SearchMode.PsDfs)
        {
            Require(
                c.ModelA is not null && c.ModelB is not null,
                "DFS needs 'model_a' and 'model_b'"
            );
            Require(c.Repeats >= 1, "'repeats' must be at least 1");
        }
        if (c.Mode == SearchMode.PsDfs)
            Require(
                c.ModelA!.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
                    || c.ModelA.EndsWith(".yml", StringComparison.OrdinalIgnoreCase),
                "ps+dfs needs 'model_a' to be a PS recipe (.yaml)"
            );
        foreach (
            var path in c
                .Sources.Append(c.BaseModel)
                .Append(c.ModelA)
                .Append(c.ModelB)
                .OfType<string>()
        )
            Require(Directory.Exists(path) || File.Exists(path), $"model not found: {path}");
        Require(
            c.HeldIn.Count <= c.Sources.Count,
            $"'held_in' lists {c.HeldIn.Count} tasks for {c.Sources.Count} sources"
        );
        foreach (var task in c.Fitness.Append(c.Validation).Concat(c.HeldIn).OfType<FitnessTask>())
            Require(File.Exists(task.File), $"task file not found: {task.File}");
    }
}
