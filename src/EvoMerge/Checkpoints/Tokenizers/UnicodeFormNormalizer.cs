using System.Text;
using Microsoft.ML.Tokenizers;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>The tokenizers library's NFC/NFKC normalizers (Qwen2 uses NFC), which Microsoft.ML.Tokenizers lacks.</summary>
internal sealed class UnicodeFormNormalizer(NormalizationForm form) : Normalizer
{
    public override string Normalize(string original) => original.Normalize(form);

    public override string Normalize(ReadOnlySpan<char> original) =>
        original.ToString().Normalize(form);
}
