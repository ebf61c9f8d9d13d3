using EvoMerge.Common;
using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

public sealed class TaskSetLoaderTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("evomerge-tasks-").FullName;

    public void Dispose() => Directory.Delete(folder, true);

    string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Loads_items_name_and_split_from_the_file_name()
    {
        var path = Write(
            "ja_math_test.jsonl",
            "{\"question\": \"花子は鉛筆を12本持っています。\", \"answer\": \"12 + 7 = 19。\\n#### 19\", \"id\": 3}\n\n"
                + "{\"question\": \"q2\", \"answer\": \"no marker 5\"}\n"
        );
        var set = TaskSetLoader.Load(path);
        Assert.Equal("ja_math", set.Name);
        Assert.Equal(TaskSplit.Test, set.Split);
        Assert.Equal(path, set.SourcePath);
        Assert.Equal(2, set.Items.Count);
        Assert.Equal("12 + 7 = 19。\n#### 19", set.Items[0].Answer);
        Assert.Equal("19", set.Items[0].GoldNumber);
        Assert.Equal("5", set.Items[1].GoldNumber);
    }

    [Theory]
    [InlineData("x_train.jsonl", "x", TaskSplit.Train)]
    [InlineData("x_validation.jsonl", "x", TaskSplit.Validation)]
    [InlineData("x_val.jsonl", "x", TaskSplit.Validation)]
    [InlineData("x_dev.jsonl", "x", TaskSplit.Validation)]
    [InlineData("x_test.jsonl", "x", TaskSplit.Test)]
    [InlineData("en_math_a.jsonl", "en_math_a", null)]
    public void Name_and_split_from_file_names(string file, string name, TaskSplit? split) =>
        Assert.Equal((name, split), TaskSetLoader.NameAndSplit(file));

    [Fact]
    public void Explicit_split_and_name_win()
    {
        var path = Write("plain.jsonl", "{\"question\": \"q\", \"answer\": \"1\"}");
        var set = TaskSetLoader.Load(path, TaskSplit.Validation, "other");
        Assert.Equal(("other", TaskSplit.Validation), (set.Name, set.Split));
        Assert.Equal(TaskSplit.Train, TaskSetLoader.Load(path).Split);
    }

    [Theory]
    [InlineData(
        "{\"question\": \"q\", \"answer\": \"1\"}\n{\"question\": \"q\"",
        2,
        "invalid JSON"
    )]
    [InlineData("{\"question\": \"q\", \"answer\": \"1\"}\n\n[1, 2]", 3, "expected a JSON object")]
    [InlineData("{\"answer\": \"1\"}", 1, "missing \"question\"")]
    [InlineData("{\"question\": \"q\", \"answer\": 42}", 1, "\"answer\" must be a string")]
    [InlineData("{\"question\": \"\", \"answer\": \"1\"}", 1, "\"question\" is empty")]
    public void Malformed_lines_name_file_and_line(string content, int line, string problem)
    {
        var path = Write("bad.jsonl", content);
        var e = Assert.Throws<TaskFileException>(() => TaskSetLoader.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith($"{path}:{line}: ", e.Message);
    }

    [Fact]
    public void Empty_and_missing_files_are_refused()
    {
        var empty = Write("empty.jsonl", "\n  \n");
        Assert.Contains(
            "no items",
            Assert.Throws<TaskFileException>(() => TaskSetLoader.Load(empty)).Message
        );
        var missing = Path.Combine(folder, "missing.jsonl");
        var e = Assert.Throws<TaskFileException>(() => TaskSetLoader.Load(missing));
        Assert.Equal(missing, e.FilePath);
        Assert.Null(e.Line);
    }

    [Fact]
    public void Sets_compare_by_value()
    {
        var path = Write("v_train.jsonl", "{\"question\": \"q\", \"answer\": \"1\"}");
        Assert.Equal(TaskSetLoader.Load(path), TaskSetLoader.Load(path));
        Assert.Equal(
            TaskSetLoader.Load(path).GetHashCode(),
            TaskSetLoader.Load(path).GetHashCode()
        );
    }

    [Fact]
    public void Multiple_choice_files_load_and_validate()
    {
        var path = Write(
            "mc_validation.jsonl",
            "{\"question\": \"犬は？\", \"choices\": [\"ワン\", \"ニャー\"], \"answer\": 0}\n"
        );
        var set = MultipleChoiceSetLoader.Load(path);
        Assert.Equal(("mc", TaskSplit.Validation), (set.Name, set.Split));
        Assert.Equal(new ValueArray<string>(["ワン", "ニャー"]), set.Items[0].Choices);
        var bad = Write(
            "mc_bad.jsonl",
            "{\"question\": \"q\", \"choices\": [\"a\", \"b\"], \"answer\": 2}\n"
        );
        var e = Assert.Throws<TaskFileException>(() => MultipleChoiceSetLoader.Load(bad));
        Assert.Equal(1, e.Line);
        Assert.Contains("index into", e.Message);
    }
}
