namespace EvoMerge.Tests.Support;

/// <summary>The llama-family fixture models laid out as a small zoo for search tests.</summary>
internal static class FixtureZoo
{
    /// <summary>Copies base, model_a and model_b (with the llama-tiny tokenizer) into <c><paramref name="folder"/>/zoo/</c>.</summary>
    public static void CopyInto(string folder)
    {
        foreach (var model in new[] { "base", "model_a", "model_b" })
        {
            var target = Path.Combine(folder, "zoo", model);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(Fixtures.Path($"merges/llama-family/{model}")))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            File.Copy(
                Fixtures.Path("models/llama-tiny/tokenizer.model"),
                Path.Combine(target, "tokenizer.model")
            );
        }
    }
}
