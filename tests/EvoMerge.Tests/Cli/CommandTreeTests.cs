using System.CommandLine;
using System.Globalization;
using System.Text;
using EvoMerge.Cli;
using EvoMerge.Cli.Options;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Cli;

/// <summary>
/// The whole `evomerge` command tree: every --device, --dtype, --threads and --seed is the one
/// binder's (<see cref="RuntimeOptions"/>), and every command's options match the committed listing
/// (Snapshots/CommandTreeTests.Every_command_option_matches_the_snapshot.verified.txt).
/// </summary>
public sealed class CommandTreeTests
{
    /// <summary>Every command with its path ("evomerge bench merge"), the root first.</summary>
    static IEnumerable<(string Path, Command Command)> Walk(Command command, string path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        foreach (var entry in Walk(sub, $"{path} {sub.Name}"))
            yield return entry;
    }

    static IEnumerable<(string Path, Command Command)> Tree() =>
        Walk(EvoMergeCli.BuildRoot(), "evomerge");

    [Fact]
    public void The_tree_is_walked_whole()
    {
        var paths = Tree().Select(c => c.Path).ToHashSet();
        foreach (
            var expected in new[]
            {
                "evomerge merge",
                "evomerge evolve",
                "evomerge zoo build",
                "evomerge zoo data",
                "evomerge bench merge",
                "evomerge bench generate",
            }
        )
            Assert.Contains(expected, paths);
    }

    [Fact]
    public void No_command_shadows_a_global_option()
    {
        var root = EvoMergeCli.BuildRoot();
        var globals = root
            .Options.Where(o => o.Recursive)
            .SelectMany(o => o.Aliases.Prepend(o.Name))
            .ToHashSet();
        Assert.Contains("--verbose", globals);
        var shadows = Tree()
            .Skip(1)
            .SelectMany(c =>
                c.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
                    .Where(globals.Contains)
                    .Select(name => $"{c.Path} {name}")
            )
            .ToArray();
        Assert.True(
            shadows.Length == 0,
            "shadowing a global option: " + string.Join(", ", shadows)
        );
    }

    [Fact]
    public void Every_runtime_option_is_the_binders()
    {
        int seen = 0;
        foreach (var (path, command) in Tree())
        foreach (var option in command.Options)
        {
            var names = option.Aliases.Prepend(option.Name).ToArray();
            // No look-alikes (--num-threads, --seed-value, -d for --device, ...).
            foreach (var name in names)
            foreach (var word in new[] { "device", "dtype", "thread", "seed" })
                if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
                    Assert.True(
                        RuntimeOptions.Names.Contains(option.Name) && option.Aliases.Count == 0,
                        $"{path}: option {string.Join("/", names)} is not declared by RuntimeOptions"
                    );
            if (!RuntimeOptions.Names.Contains(option.Name))
                continue;
            seen++;
            var expected = RuntimeOptions.Declaration(option.Name, seedDefault: 0);
            var where = $"{path} {option.Name}";
            Assert.Equal(expected.ValueType, option.ValueType);
            Assert.True(expected.Description == option.Description, $"{where}: description");
            Assert.Equal(expected.Aliases, option.Aliases);
            Assert.Equal(expected.Arity, option.Arity);
            Assert.Equal(expected.Required, option.Required);
            Assert.Equal(expected.Validators.Count, option.Validators.Count);
            Assert.Equal(expected.HasDefaultValue, option.HasDefaultValue);
            // The seed's default is each command's own (it decides what a run without --seed
            // writes: the shipped task data and zoo); the others' defaults are shared.
            if (option.Name != "--seed" && option.HasDefaultValue)
                Assert.True(
                    Equals(expected.GetDefaultValue(), option.GetDefaultValue()),
                    $"{where}: default {option.GetDefaultValue()}"
                );
        }
        Assert.True(seen >= 20, $"only {seen} runtime options found");
    }

    [Fact]
    public void Every_command_option_matches_the_snapshot()
    {
        // The listing: each command, then its arguments and options (name, aliases, value type,
        // arity, default). Update: see the message when it fails.
        var text = new StringBuilder();
        foreach (var (path, command) in Tree())
        {
            text.AppendLine(path);
            foreach (var argument in command.Arguments)
                text.AppendLine(
                    $"  <{argument.Name}> {TypeName(argument.ValueType)} {Arity(argument.Arity)}{Default(argument.HasDefaultValue, argument.GetDefaultValue)}"
                );
            foreach (var option in command.Options)
            {
                var aliases =
                    option.Aliases.Count == 0
                        ? ""
                        : $" ({string.Join(", ", option.Aliases.Order(StringComparer.Ordinal))})";
                var flags =
                    (option.Required ? " required" : "") + (option.Recursive ? " recursive" : "");
                text.AppendLine(
                    $"  {option.Name}{aliases} {TypeName(option.ValueType)} {Arity(option.Arity)}{flags}{Default(option.HasDefaultValue, option.GetDefaultValue)}"
                );
            }
        }
        Snapshot.Verify(text.ToString());
    }

    static string Arity(ArgumentArity arity) =>
        arity.MaximumNumberOfValues > 1000
            ? $"{arity.MinimumNumberOfValues}..*"
            : $"{arity.MinimumNumberOfValues}..{arity.MaximumNumberOfValues}";

    static string TypeName(Type type) =>
        Nullable.GetUnderlyingType(type) is { } inner ? TypeName(inner) + "?"
        : type.IsArray ? TypeName(type.GetElementType()!) + "[]"
        : type.Name;

    /// <summary>The default, with this machine's repository and temp folders written as &lt;repo&gt; and &lt;temp&gt;.</summary>
    static string Default(bool has, Func<object?> value)
    {
        if (!has)
            return "";
        var text = value() switch
        {
            null => "null",
            string s => $"\"{s}\"",
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable items => "["
                + string.Join(", ", items.Cast<object>())
                + "]",
            var other => other.ToString(),
        };
        text = text!
            .Replace(Fixtures.RepoRoot, "<repo>", StringComparison.Ordinal)
            .Replace(
                Path.TrimEndingDirectorySeparator(Path.GetTempPath()),
                "<temp>",
                StringComparison.Ordinal
            );
        return $" = {text}";
    }
}
