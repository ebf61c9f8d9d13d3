using System.Text.RegularExpressions;
using EvoMerge.Common;

namespace EvoMerge.Recipes;

/// <summary>
/// The stages of a recipe file in the order they must run (mergekit-multi): a stage that names an
/// earlier stage (by its <c>name</c>) as a model, base model or tokenizer source runs after it. A file
/// of one document is one stage, named or not. In a file of several, every stage but at most one (the
/// final merge) carries a unique <c>name</c>; a cycle, a duplicate name or a second unnamed stage is
/// one <see cref="RecipeException"/> naming the file. Pure: nothing here touches the disk.
/// </summary>
public sealed partial record RecipeStages(ValueArray<RecipeDocument> Ordered)
{
    /// <summary>The unnamed stage of a multi-stage file (mergekit-multi's final merge, written to the output), or null.</summary>
    public RecipeDocument? Final =>
        Ordered.Count > 1 ? Ordered.FirstOrDefault(d => d.Recipe.Name is null) : null;

    /// <summary>True for a file of one document.</summary>
    public bool IsSingle => Ordered.Count == 1;

    /// <summary>The stage names in run order (unnamed stage excluded).</summary>
    public IReadOnlyList<string> Names =>
        Ordered.Select(d => d.Recipe.Name).OfType<string>().ToList();

    /// <summary>The names of earlier stages that <paramref name="stage"/> reads.</summary>
    public IReadOnlyList<string> DependenciesOf(RecipeDocument stage) =>
        IsSingle ? [] : stage.Recipe.ReferencedModels().Intersect(Names).ToList();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]*$")]
    private static partial Regex FolderName();

    /// <summary>Checks names and orders <paramref name="documents"/> (file order, then dependencies: a stable topological sort).</summary>
    public static RecipeStages Create(IReadOnlyList<RecipeDocument> documents)
    {
        if (documents.Count == 0)
            throw new ArgumentException("no stages", nameof(documents));
        if (documents.Count == 1)
            return new RecipeStages(documents.ToValueArray());
        var file = documents[0].FilePath;
        RecipeException Error(string problem) => new(file, problem);
        var unnamed = documents
            .Select((d, i) => (d, i))
            .Where(x => x.d.Recipe.Name is null)
            .Select(x => x.i + 1)
            .ToList();
        if (unnamed.Count > 1)
            throw Error(
                $"documents {string.Join(", ", unnamed)} have no 'name': in a multi-stage file every stage but one (the final merge) needs a unique name"
            );
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < documents.Count; i++)
        {
            if (documents[i].Recipe.Name is not { } name)
                continue;
            if (!FolderName().IsMatch(name))
                throw Error(
                    $"document {i + 1}: stage name '{name}' must be a plain folder name (letters, digits, '.', '_', '-'), since the stage is written to a folder of that name"
                );
            if (byName.TryGetValue(name, out var first))
                throw Error($"documents {first + 1} and {i + 1} are both named '{name}'");
            byName[name] = i;
        }
        var needs = documents
            .Select(d =>
                d.Recipe.ReferencedModels()
                    .Where(byName.ContainsKey)
                    .Select(n => byName[n])
                    .Distinct()
                    .ToList()
            )
            .ToList();
        var order = new List<int>();
        var done = new bool[documents.Count];
        while (order.Count < documents.Count)
        {
            // The first stage in file order whose inputs are all done (stable, so independent stages keep file order).
            int next = Enumerable
                .Range(0, documents.Count)
                .FirstOrDefault(i => !done[i] && needs[i].All(n => done[n]), -1);
            if (next < 0)
                throw Error($"the stages form a cycle: {Cycle(documents, needs, done)}");
            done[next] = true;
            order.Add(next);
        }
        return new RecipeStages(order.Select(i => documents[i]).ToValueArray());
    }

    /// <summary>One cycle among the stages not yet ordered, as "a → b → a".</summary>
    static string Cycle(IReadOnlyList<RecipeDocument> documents, List<List<int>> needs, bool[] done)
    {
        int at = Enumerable.Range(0, documents.Count).First(i => !done[i]);
        var path = new List<int>();
        while (!path.Contains(at))
        {
            path.Add(at);
            at = needs[at].First(n => !done[n]);
        }
        var cycle = path.Skip(path.IndexOf(at)).Append(at);
        return string.Join(" → ", cycle.Select(i => $"'{documents[i].Recipe.Name}'"));
    }
}
