using EvoMerge.Common.Random;

namespace EvoMerge.Zoo.Data;

/// <summary>A generated word problem: the texts and the arithmetic behind them (kept for tests and checks).</summary>
/// <param name="Question">The question text (without the prompt template).</param>
/// <param name="Answer">The worked answer ending with <c>#### result</c>.</param>
/// <param name="Left">The first operand.</param>
/// <param name="Right">The second operand.</param>
/// <param name="Subtract">True for Left − Right, false for Left + Right.</param>
public sealed record MathProblem(string Question, string Answer, int Left, int Right, bool Subtract)
{
    /// <summary>The result (never negative).</summary>
    public int Result => Subtract ? Left - Right : Left + Right;

    /// <summary>"a + b = c" or "a - b = c" in ASCII.</summary>
    public string Equation =>
        $"{English.N(Left)} {(Subtract ? "-" : "+")} {English.N(Right)} = {English.N(Result)}";

    /// <summary>
    /// Draws operands in [min, max]; for a subtraction the right operand is at most the left, so the
    /// result is ≥ 0. Redraws until <paramref name="pool"/> admits the triple (null admits every one).
    /// </summary>
    internal static (int Left, int Right, bool Subtract) Draw(
        Xoshiro256StarStar r,
        int min,
        int max,
        double subtractionShare,
        OperandPool? pool = null
    )
    {
        for (var tries = 0; ; tries++)
        {
            var subtract = r.Chance(subtractionShare);
            var left = r.Between(min, max);
            var right = subtract ? r.Between(min, left) : r.Between(min, max);
            if (pool is null || pool.Admits(left, right, subtract))
                return (left, right, subtract);
            if (tries > 100_000)
                throw new ArgumentException(
                    $"no operand triple in [{min}, {max}] is {(pool.HeldOut ? "held out" : "left for training")} at held-out share {pool.HeldOutShare}."
                );
        }
    }
}
