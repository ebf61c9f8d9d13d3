using System.Globalization;
using CsCheck;
using EvoMerge.Evaluation;
using Xunit;

namespace EvoMerge.Tests.Evaluation;

/// <summary>Properties of the metrics over generated inputs.</summary>
public class MetricPropertyTests
{
    static readonly Gen<string> Mixed = Gen.Char["ab cd.,-1 2答え猫。"]
        .Array[0, 16]
        .Select(cs => new string(cs));

    [Fact]
    public void Any_integer_written_with_thousands_separators_is_read_back() =>
        Gen.Long.Sample(n =>
            Assert.Equal(
                n.ToString(CultureInfo.InvariantCulture),
                Numbers.Last(
                    $"so the total is {n.ToString("N0", CultureInfo.InvariantCulture)} items."
                )
            )
        );

    [Fact]
    public void Any_decimal_is_read_back_in_canonical_form() =>
        Gen.Decimal[-1_000_000m, 1_000_000m]
            .Sample(d =>
            {
                var text = d.ToString("0.#####", CultureInfo.InvariantCulture);
                var expected = text == "-0" ? "0" : text;
                Assert.Equal(expected, Numbers.Last($"= {text}"));
            });

    [Fact]
    public void Rouge_l_is_bounded_symmetric_in_f_and_one_on_itself() =>
        Gen.Select(Mixed, Mixed)
            .Sample(
                (a, b) =>
                {
                    var f = RougeL.F(a, b);
                    Assert.InRange(f, 0.0, 1.0);
                    Assert.Equal(f, RougeL.F(b, a), 12);
                    var tokens = RougeL.Tokenize(a, JapaneseScript.ContainsJapanese(a));
                    Assert.Equal(tokens.Count > 0 ? 1.0 : 0.0, RougeL.F(a, a), 12);
                }
            );

    [Fact]
    public void Japanese_share_is_a_fraction_and_ignores_digits_and_punctuation() =>
        Mixed.Sample(s =>
        {
            var share = JapaneseScript.Share(s);
            Assert.InRange(share, 0.0, 1.0);
            Assert.Equal(share, JapaneseScript.Share(s + " 123。、!?"), 12);
        });
}
