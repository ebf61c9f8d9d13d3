namespace EvoMerge.Cli.Commands;

/// <summary>
/// The text side of `evomerge generate` (TOKENIZER SEAM): text to prompt ids (BOS included when the
/// model wants it) and generated ids back to text. <see cref="GenerateCommand.LoadPromptCodec"/> returns one.
/// </summary>
internal interface IPromptCodec
{
    IReadOnlyList<long> Encode(string text);

    string Decode(IReadOnlyList<long> ids);
}
