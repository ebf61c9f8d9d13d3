using System.CommandLine;
using EvoMerge.Cli.Commands;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Tokenizers;

public sealed class TokenizeCommandTests
{
    static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(TokenizeCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = root.Parse(args)
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString().Trim(), error.ToString().Trim());
    }

    [Fact]
    public void Prints_the_ids_as_a_json_array()
    {
        var c = TokenizerCase.Get("sentencepiece-bpe", 1);

        var (exit, output, _) = Run("tokenize", Fixtures.Path("models/llama-tiny"), c.Text);

        Assert.Equal(0, exit);
        Assert.Equal("[" + string.Join(",", c.Ids) + "]", output);
    }

    [Fact]
    public void Add_bos_puts_the_bos_id_first()
    {
        var (exit, output, _) = Run(
            "tokenize",
            Fixtures.Path("models/llama-tiny"),
            "Hello world",
            "--add-bos"
        );

        Assert.Equal(0, exit);
        Assert.StartsWith("[1,369,450,", output);
    }

    [Fact]
    public void A_folder_without_a_tokenizer_fails_with_the_reason()
    {
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;

        var (exit, output, error) = Run("tokenize", dir, "hi");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("no tokenizer found", error);
    }
}
