namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// Eigendecomposition of a real symmetric matrix by the cyclic Jacobi method (Rutishauser's
/// rotation formulas, as in Numerical Recipes §11.1). Small and accurate, O(n³) per sweep; CMA-ES
/// decomposes C only every few generations and only below the separable threshold, so speed is not
/// the point here (purecma likewise carries its own small solver instead of a linear-algebra package).
/// </summary>
public static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the symmetric <paramref name="n"/>×<paramref name="n"/> row-major matrix
    /// <paramref name="matrix"/> (only read) into eigenvalues and eigenvectors.
    /// </summary>
    /// <returns>Eigenvalues (ascending) and the row-major matrix whose column k is the unit eigenvector of eigenvalue k.</returns>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int n)
    {
        if (matrix.Length != n * n)
            throw new ArgumentException(
                $"Expected {n * n} entries for a {n}×{n} matrix, got {matrix.Length}."
            );
        var a = matrix.ToArray();
        var v = new double[n * n];
        for (var i = 0; i < n; i++)
            v[i * n + i] = 1.0;

        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0,
                total = 0;
            for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var sq = a[i * n + j] * a[i * n + j];
                total += sq;
                if (i != j)
                    off += sq;
            }
            if (off <= 1e-30 * total || off == 0)
                break;

            for (var p = 0; p < n - 1; p++)
            for (var q = p + 1; q < n; q++)
            {
                var apq = a[p * n + q];
                if (apq == 0)
                    continue;
                // Rotation angle that zeroes a[p,q]: θ = (a_qq − a_pp) / (2 a_pq), t = tan φ.
                var theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                var t =
                    Math.Sign(theta == 0 ? 1.0 : theta)
                    / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1.0));
                var c = 1.0 / Math.Sqrt(t * t + 1.0);
                var s = t * c;
                // A ← Jᵀ A J: columns p and q, then rows p and q.
                for (var k = 0; k < n; k++)
                {
                    var akp = a[k * n + p];
                    var akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (var k = 0; k < n; k++)
                {
                    var apk = a[p * n + k];
                    var aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                a[p * n + q] = 0;
                a[q * n + p] = 0;
                // V ← V J accumulates the eigenvectors as columns.
                for (var k = 0; k < n; k++)
                {
                    var vkp = v[k * n + p];
                    var vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }

        // Sort ascending (stable on index), permuting the eigenvector columns alongside.
        var order = Enumerable.Range(0, n).OrderBy(i => a[i * n + i]).ThenBy(i => i).ToArray();
        var values = new double[n];
        var vectors = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            values[k] = a[order[k] * n + order[k]];
            for (var r = 0; r < n; r++)
                vectors[r * n + k] = v[r * n + order[k]];
        }
        return (values, vectors);
    }
}
