using System.Globalization;
using System.Text;
using EvoMerge.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EvoMerge.Recipes;

/// <summary>
/// Reads and writes mergekit merge configurations (YAML). Reading validates the shape of the file
/// (keys, types, layer ranges) and throws one <see cref="RecipeException"/> naming the file and the
/// problem; method-specific checks (base model required, density range) belong to the merge planner.
/// Writing then reading gives back an equal record.
/// </summary>
public static class RecipeYaml
{
    static readonly string[] TopLevelKeys =
    [
        "merge_method",
        "base_model",
        "models",
        "slices",
        "parameters",
        "dtype",
        "out_dtype",
        "tokenizer_source",
        "tokenizer",
        "chat_template",
        "name",
    ];

    /// <summary>Keys mergekit's MergeConfiguration accepts that evomerge refuses, each with the reason.</summary>
    static readonly Dictionary<string, string> RefusedTopLevelKeys = new(StringComparer.Ordinal)
    {
        ["modules"] =
            "'modules' (mergekit's per-module merges of multimodal models, e.g. a vision tower and a language model) is not supported: evomerge merges one Llama-family decoder; use 'models' or 'slices'",
    };

    /// <summary>Every parameter a merge method reads (int8_mask is mergekit's memory option, accepted and ignored).</summary>
    static readonly string[] ParameterKeys =
    [
        "weight",
        "density",
        "epsilon",
        "gamma",
        "lambda",
        "normalize",
        "rescale",
        "rescale_mode",
        "consensus",
        "filter_wise",
        "scale",
        "t",
        "nuslerp_flatten",
        "nuslerp_row_wise",
        "int8_mask",
        "select_topk",
        "normalize_weights",
        "eps",
        "max_iter",
        "tol",
        "r",
        "alpha",
    ];

    /// <summary>Reads a one-document recipe file; relative model paths will resolve against its folder.</summary>
    public static RecipeDocument Load(string path)
    {
        var full = Path.GetFullPath(path);
        var recipe = Parse(ReadText(full), full);
        return new RecipeDocument(recipe, full, Path.GetDirectoryName(full)!);
    }

    /// <summary>Parses a one-document recipe; <paramref name="fileName"/> labels errors (a multi-stage file needs <see cref="ParseStages"/>).</summary>
    public static MergeRecipe Parse(string yaml, string fileName = "<yaml>")
    {
        var documents = Documents(yaml, fileName);
        if (documents.Count != 1)
            throw new RecipeException(
                fileName,
                $"expected one YAML document, found {documents.Count} (a multi-stage recipe: run it with `evomerge merge`, which reads every stage)"
            );
        return new Reader(fileName, "").Recipe(documents[0]);
    }

    /// <summary>
    /// Parses every YAML document of a file (mergekit-multi: documents separated by <c>---</c>, each a
    /// merge configuration, each but at most one carrying a <c>name</c>). Errors in document k of
    /// several say so. Stage order and names are checked by <see cref="RecipeStages"/>.
    /// </summary>
    public static IReadOnlyList<MergeRecipe> ParseStages(string yaml, string fileName = "<yaml>")
    {
        var documents = Documents(yaml, fileName);
        if (documents.Count == 0)
            throw new RecipeException(fileName, "the file holds no YAML document");
        return documents
            .Select(
                (root, i) =>
                    new Reader(
                        fileName,
                        documents.Count == 1 ? "" : $"document {i + 1} of {documents.Count}: "
                    ).Recipe(root)
            )
            .ToList();
    }

    /// <summary>Reads every stage of a recipe file; relative model paths resolve against its folder.</summary>
    public static RecipeStages LoadStages(
        string path,
        IReadOnlyDictionary<string, string>? modelFolders = null
    )
    {
        var full = Path.GetFullPath(path);
        var stages = ParseStages(ReadText(full), full);
        return RecipeStages.Create(
            stages
                .Select(r => new RecipeDocument(r, full, Path.GetDirectoryName(full)!)
                {
                    ModelFolders = modelFolders?.ToValueMap(),
                })
                .ToList()
        );
    }

    static string ReadText(string full)
    {
        if (!File.Exists(full))
            throw new RecipeException(full, "recipe file not found");
        try
        {
            return File.ReadAllText(full, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException(full, $"cannot read the recipe ({e.Message})");
        }
    }

    static List<YamlMappingNode> Documents(string yaml, string fileName)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            // An empty document (a trailing '---') holds nothing to merge: skip it, as PyYAML's safe_load_all yields None for it.
            return stream
                .Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
                .Select(
                    (d, i) =>
                        d.RootNode as YamlMappingNode
                        ?? throw new RecipeException(
                            fileName,
                            stream.Documents.Count == 1
                                ? "the recipe must be a YAML mapping"
                                : $"document {i + 1}: each stage must be a YAML mapping"
                        )
                )
                .ToList();
        }
        catch (YamlException e)
        {
            throw new RecipeException(
                fileName,
                $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}",
                e
            );
        }
    }

    sealed class Reader(string file, string where)
    {
        RecipeException Error(string problem) => new(file, where + problem);

        public MergeRecipe Recipe(YamlMappingNode root)
        {
            foreach (var key in root.Children.Keys)
            {
                var name = Text(key, "key");
                if (RefusedTopLevelKeys.TryGetValue(name, out var reason))
                    throw Error(reason);
                if (!TopLevelKeys.Contains(name))
                    throw Error(
                        $"unknown key '{name}'{EvoMerge.Common.DidYouMean.Hint(name, TopLevelKeys)} (expected one of {string.Join(", ", TopLevelKeys)})"
                    );
            }
            var method =
                OptionalText(root, "merge_method") ?? throw Error("missing 'merge_method'");
            var models = Get(root, "models") is { } m ? Models(m) : [];
            var slices = Get(root, "slices") is { } s ? Slices(s) : [];
            if (models.Count > 0 && slices.Count > 0)
                throw Error("give either 'models' or 'slices', not both");
            if (models.Count == 0 && slices.Count == 0)
                throw Error("no 'models' and no 'slices': nothing to merge");
            string? tokenizerSource = OptionalText(root, "tokenizer_source");
            bool block = false;
            if (Get(root, "tokenizer") is { } tok)
            {
                if (tokenizerSource is not null)
                    throw Error("give 'tokenizer_source' or 'tokenizer', not both (as mergekit)");
                if (tok is not YamlMappingNode tokMap)
                    throw Error("'tokenizer' must be a mapping with 'source'");
                if (Get(tokMap, "tokens") is not null)
                    throw Error(
                        "'tokenizer.tokens' (choosing embeddings for added tokens) is not supported: evomerge copies one source's tokenizer unchanged; remove 'tokens'"
                    );
                if (Get(tokMap, "pad_to_multiple_of") is not null)
                    throw Error(
                        "'tokenizer.pad_to_multiple_of' (padding a merged vocabulary) is not supported: evomerge does not change the vocabulary; remove it"
                    );
                CheckKeys(tokMap, "tokenizer", "source");
                // mergekit's TokenizerConfig defaults its source to 'union'.
                tokenizerSource = OptionalText(tokMap, "source") ?? "union";
                block = true;
            }
            var recipe = new MergeRecipe(
                method,
                OptionalText(root, "base_model"),
                models.ToValueArray(),
                slices.ToValueArray(),
                Get(root, "parameters") is { } p ? Parameters(p, "parameters") : ParameterMap.Empty,
                OptionalText(root, "dtype"),
                OptionalText(root, "out_dtype"),
                tokenizerSource,
                block,
                StageName(root),
                OptionalText(root, "chat_template")
            );
            if (
                recipe.ChatTemplate is { } template
                && ChatTemplates.Refusal(template, recipe.ReferencedModels()) is { } refusal
            )
                throw Error(refusal);
            return recipe;
        }

        string? StageName(YamlMappingNode root)
        {
            var name = OptionalText(root, "name");
            if (name is not null && name.Trim().Length == 0)
                throw Error("'name' is blank");
            return name;
        }

        List<RecipeModel> Models(YamlNode node)
        {
            if (node is not YamlSequenceNode list)
                throw Error("'models' must be a list");
            var result = new List<RecipeModel>();
            foreach (var item in list)
            {
                if (item is not YamlMappingNode map)
                    throw Error("each entry of 'models' must be a mapping with 'model'");
                var model =
                    OptionalText(map, "model") ?? throw Error("a 'models' entry lacks 'model'");
                CheckKeys(map, $"models entry '{model}'", "model", "parameters");
                result.Add(
                    new RecipeModel(
                        model,
                        Get(map, "parameters") is { } p
                            ? Parameters(p, $"parameters of '{model}'")
                            : ParameterMap.Empty
                    )
                );
            }
            return result;
        }

        List<RecipeSlice> Slices(YamlNode node)
        {
            if (node is not YamlSequenceNode list)
                throw Error("'slices' must be a list");
            var result = new List<RecipeSlice>();
            int index = 0;
            foreach (var item in list)
            {
                if (
                    item is not YamlMappingNode map
                    || Get(map, "sources") is not YamlSequenceNode sources
                )
                    throw Error($"slice {index} must be a mapping with a 'sources' list");
                if (Get(map, "residual_weight") is not null)
                    throw Error($"slice {index}: 'residual_weight' is not supported; remove it");
                CheckKeys(map, $"slice {index}", "sources", "parameters", "base_model");
                var parsed = new List<SliceSource>();
                foreach (var source in sources)
                {
                    if (source is not YamlMappingNode s)
                        throw Error($"slice {index}: each source must be a mapping");
                    var model =
                        OptionalText(s, "model")
                        ?? throw Error($"slice {index}: a source lacks 'model'");
                    CheckKeys(
                        s,
                        $"slice {index} source '{model}'",
                        "model",
                        "layer_range",
                        "parameters"
                    );
                    if (
                        Get(s, "layer_range") is not YamlSequenceNode range
                        || range.Children.Count != 2
                    )
                        throw Error(
                            $"slice {index} source '{model}': 'layer_range' must be [start, end]"
                        );
                    int start = Int(range[0], $"slice {index} layer_range");
                    int end = Int(range[1], $"slice {index} layer_range");
                    if (start < 0 || end <= start)
                        throw Error(
                            $"slice {index} source '{model}': layer_range [{start}, {end}] is empty or negative (ranges are half-open)"
                        );
                    parsed.Add(
                        new SliceSource(
                            model,
                            new LayerRange(start, end),
                            Get(s, "parameters") is { } p
                                ? Parameters(p, $"slice {index} source '{model}' parameters")
                                : ParameterMap.Empty
                        )
                    );
                }
                if (parsed.Count == 0)
                    throw Error($"slice {index} has no sources");
                if (parsed.Select(p => p.Range.Count).Distinct().Count() != 1)
                    throw Error($"slice {index}: all sources must span the same number of layers");
                // A slice merges its sources in parallel: the same model twice with overlapping
                // ranges cannot be what was meant.
                for (int a = 0; a < parsed.Count; a++)
                for (int b = a + 1; b < parsed.Count; b++)
                    if (
                        parsed[a].Model == parsed[b].Model
                        && parsed[a].Range.Start < parsed[b].Range.End
                        && parsed[b].Range.Start < parsed[a].Range.End
                    )
                        throw Error(
                            $"slice {index}: overlapping layer ranges [{parsed[a].Range.Start}, {parsed[a].Range.End}) and [{parsed[b].Range.Start}, {parsed[b].Range.End}) of '{parsed[a].Model}'"
                        );
                var sliceBase = OptionalText(map, "base_model");
                if (sliceBase is not null && parsed.All(p => p.Model != sliceBase))
                    throw Error(
                        $"slice {index}: base_model '{sliceBase}' is not one of the slice's sources"
                    );
                result.Add(
                    new RecipeSlice(
                        parsed.ToValueArray(),
                        Get(map, "parameters") is { } sp
                            ? Parameters(sp, $"slice {index} parameters")
                            : ParameterMap.Empty,
                        sliceBase
                    )
                );
                index++;
            }
            return result;
        }

        ParameterMap Parameters(YamlNode node, string where)
        {
            if (node is not YamlMappingNode map)
                throw Error($"{where} must be a mapping");
            var entries = new List<NamedParameter>();
            foreach (var (key, value) in map.Children)
            {
                var name = Text(key, where);
                if (!ParameterKeys.Contains(name))
                    throw Error(
                        $"{where}: unknown parameter '{name}'{EvoMerge.Common.DidYouMean.Hint(name, ParameterKeys)} (known: {string.Join(", ", ParameterKeys)})"
                    );
                entries.Add(new NamedParameter(name, Value(value, $"{where}: '{name}'")));
            }
            return new ParameterMap(entries.ToValueArray());
        }

        ParameterValue Value(YamlNode node, string where)
        {
            switch (node)
            {
                case YamlScalarNode scalar:
                    return Scalar(scalar, where);
                case YamlSequenceNode list when list.Children.Count == 0:
                    throw Error($"{where} is an empty list");
                case YamlSequenceNode list when list.All(c => c is YamlScalarNode):
                    return new GradientValue(
                        list.Select(c =>
                                Scalar((YamlScalarNode)c, where) is NumberValue n
                                    ? n.Value
                                    : throw Error($"{where}: a gradient must list numbers")
                            )
                            .ToValueArray()
                    );
                case YamlSequenceNode list when list.All(c => c is YamlMappingNode):
                    return new FilterListValue(
                        list.Cast<YamlMappingNode>()
                            .Select(rule =>
                            {
                                CheckKeys(rule, where, "filter", "value");
                                var value =
                                    Get(rule, "value")
                                    ?? throw Error($"{where}: a filter rule lacks 'value'");
                                return new FilterRule(
                                    OptionalText(rule, "filter"),
                                    Value(value, where)
                                );
                            })
                            .ToValueArray()
                    );
                default:
                    throw Error(
                        $"{where} must be a number, a flag, a list of numbers (gradient) or a list of {{filter, value}} rules"
                    );
            }
        }

        ParameterValue Scalar(YamlScalarNode scalar, string where)
        {
            var text = scalar.Value ?? "";
            if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
            {
                if (
                    double.TryParse(
                        text,
                        NumberStyles.Float,
                        CultureInfo.InvariantCulture,
                        out var number
                    )
                )
                    return new NumberValue(number);
                if (text is "true" or "True" or "TRUE")
                    return new FlagValue(true);
                if (text is "false" or "False" or "FALSE")
                    return new FlagValue(false);
                if (text is "" or "null" or "~")
                    throw Error($"{where} has no value");
            }
            return new TextValue(text);
        }

        void CheckKeys(YamlMappingNode map, string where, params string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = Text(key, where);
                if (!allowed.Contains(name))
                    throw Error(
                        $"{where}: unknown key '{name}'{EvoMerge.Common.DidYouMean.Hint(name, allowed)} (expected {string.Join(", ", allowed)})"
                    );
            }
        }

        static YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        string? OptionalText(YamlMappingNode map, string key) =>
            Get(map, key) switch
            {
                null => null,
                YamlScalarNode { Value: null or "" or "null" or "~" } => null,
                YamlScalarNode s => s.Value,
                _ => throw Error($"'{key}' must be a single value"),
            };

        string Text(YamlNode node, string where) =>
            node is YamlScalarNode { Value: { } v }
                ? v
                : throw Error($"{where}: expected a plain name");

        int Int(YamlNode node, string where) =>
            node is YamlScalarNode { Value: { } v }
            && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? i
                : throw Error($"{where}: expected an integer");
    }

    /// <summary>Writes a recipe as mergekit YAML (keys in a fixed order, numbers in invariant round-trip form).</summary>
    public static string Write(MergeRecipe recipe)
    {
        var root = new YamlMappingNode();
        if (recipe.Name is not null)
            root.Add("name", Text(recipe.Name));
        root.Add("merge_method", recipe.Method);
        if (recipe.BaseModel is not null)
            root.Add("base_model", Text(recipe.BaseModel));
        if (recipe.Dtype is not null)
            root.Add("dtype", recipe.Dtype);
        if (recipe.OutDtype is not null)
            root.Add("out_dtype", recipe.OutDtype);
        if (recipe.TokenizerSource is not null)
        {
            if (recipe.TokenizerBlock)
                root.Add(
                    "tokenizer",
                    new YamlMappingNode { { "source", Text(recipe.TokenizerSource) } }
                );
            else
                root.Add("tokenizer_source", Text(recipe.TokenizerSource));
        }
        if (recipe.ChatTemplate is not null)
            root.Add("chat_template", Text(recipe.ChatTemplate));
        if (!recipe.Parameters.IsEmpty)
            root.Add("parameters", Map(recipe.Parameters));
        if (recipe.Models.Count > 0)
        {
            var models = new YamlSequenceNode();
            foreach (var model in recipe.Models)
            {
                var entry = new YamlMappingNode { { "model", Text(model.Model) } };
                if (!model.Parameters.IsEmpty)
                    entry.Add("parameters", Map(model.Parameters));
                models.Add(entry);
            }
            root.Add("models", models);
        }
        if (recipe.Slices.Count > 0)
        {
            var slices = new YamlSequenceNode();
            foreach (var slice in recipe.Slices)
            {
                var sources = new YamlSequenceNode();
                foreach (var source in slice.Sources)
                {
                    var entry = new YamlMappingNode
                    {
                        { "model", Text(source.Model) },
                        {
                            "layer_range",
                            new YamlSequenceNode(
                                Number(source.Range.Start),
                                Number(source.Range.End)
                            )
                            {
                                Style = YamlDotNet.Core.Events.SequenceStyle.Flow,
                            }
                        },
                    };
                    if (!source.Parameters.IsEmpty)
                        entry.Add("parameters", Map(source.Parameters));
                    sources.Add(entry);
                }
                var s = new YamlMappingNode { { "sources", sources } };
                if (slice.BaseModel is not null)
                    s.Add("base_model", Text(slice.BaseModel));
                if (!slice.Parameters.IsEmpty)
                    s.Add("parameters", Map(slice.Parameters));
                slices.Add(s);
            }
            root.Add("slices", slices);
        }
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString().Replace("\r\n", "\n");
        // YamlStream ends every document with an explicit end marker; mergekit files do not.
        if (text.EndsWith("...\n", StringComparison.Ordinal))
            text = text[..^4];
        return text.TrimEnd('\n') + "\n";
    }

    /// <summary>Writes stages as one multi-document file (documents separated by <c>---</c>, in the order given).</summary>
    public static string WriteStages(IEnumerable<MergeRecipe> stages) =>
        string.Join("---\n", stages.Select(Write));

    /// <summary>Writes a recipe to a file atomically (<see cref="AtomicFile"/>).</summary>
    public static void Save(MergeRecipe recipe, string path) =>
        AtomicFile.WriteAllText(path, Write(recipe));

    static YamlMappingNode Map(ParameterMap parameters)
    {
        var map = new YamlMappingNode();
        foreach (var entry in parameters.Entries)
            map.Add(entry.Name, Node(entry.Value));
        return map;
    }

    static YamlNode Node(ParameterValue value) =>
        value switch
        {
            NumberValue n => Number(n.Value),
            FlagValue f => new YamlScalarNode(f.Value ? "true" : "false"),
            TextValue t => Text(t.Value),
            GradientValue g => new YamlSequenceNode(g.Anchors.Select(Number))
            {
                Style = YamlDotNet.Core.Events.SequenceStyle.Flow,
            },
            FilterListValue list => new YamlSequenceNode(
                list.Rules.Select(rule =>
                {
                    var map = new YamlMappingNode();
                    if (rule.Filter is not null)
                        map.Add("filter", Text(rule.Filter));
                    map.Add("value", Node(rule.Value));
                    return (YamlNode)map;
                })
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

    static YamlScalarNode Number(double value) =>
        new(value.ToString("R", CultureInfo.InvariantCulture));

    // Text that would read back as a number or flag is quoted so it stays text.
    static YamlScalarNode Text(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || value is "true" or "false" or "null" or "~" or ""
            ? new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted }
            : new YamlScalarNode(value);
}
