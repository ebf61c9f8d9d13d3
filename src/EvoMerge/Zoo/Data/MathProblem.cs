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

    /// <summary>Draws operands in [min, max]; for a subtraction the right operand is at most the left, so the result is ≥ 0.</summary>
    internal static (int Left, int Right, bool Subtract) Draw(
        DataRandom r,
        int min,
        int max,
        double subtractionShare
    )
    {
        var subtract = r.Chance(subtractionShare);
        var left = r.Between(min, max);
        var right = subtract ? r.Between(min, left) : r.Between(min, max);
        return (left, right, subtract);
    }
}
