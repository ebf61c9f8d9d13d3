namespace EvoMerge.Evolution.Optimizers;

/// <summary>Pareto ranking for minimization: Deb et al. 2002's fast non-dominated sort and crowding distance.</summary>
public static class NonDominatedSorting
{
    /// <summary>Whether <paramref name="a"/> Pareto-dominates <paramref name="b"/>: no worse in every objective, better in one.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var better = false;
        for (var k = 0; k < a.Count; k++)
        {
            if (a[k] > b[k])
                return false;
            if (a[k] < b[k])
                better = true;
        }
        return better;
    }

    /// <summary>
    /// The fronts F₁, F₂, … as index lists (Deb et al. 2002, §III-A, O(MN²)); within a front,
    /// indices ascend. Duplicates share a front.
    /// </summary>
    public static List<List<int>> Fronts(IReadOnlyList<IReadOnlyList<double>> objectives)
    {
        var count = objectives.Count;
        var dominatedBy = new int[count]; // n_p: how many dominate p
        var dominates = new List<int>[count]; // S_p: whom p dominates
        for (var p = 0; p < count; p++)
            dominates[p] = [];
        for (var p = 0; p < count; p++)
        for (var q = p + 1; q < count; q++)
        {
            if (Dominates(objectives[p], objectives[q]))
            {
                dominates[p].Add(q);
                dominatedBy[q]++;
            }
            else if (Dominates(objectives[q], objectives[p]))
            {
                dominates[q].Add(p);
                dominatedBy[p]++;
            }
        }
        var fronts = new List<List<int>>();
        var current = Enumerable.Range(0, count).Where(p => dominatedBy[p] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add(current);
            var next = new List<int>();
            foreach (var p in current)
            foreach (var q in dominates[p])
                if (--dominatedBy[q] == 0)
                    next.Add(q);
            next.Sort();
            current = next;
        }
        return fronts;
    }

    /// <summary>
    /// Crowding distance of each member of one front (Deb et al. 2002, §III-B): the sum over objectives
    /// of the normalized gap between each point's neighbours; the extremes get +∞.
    /// </summary>
    /// <param name="objectives">Objective vectors of the whole population.</param>
    /// <param name="front">Indices of the front's members.</param>
    /// <returns>Distances aligned with <paramref name="front"/>.</returns>
    public static double[] CrowdingDistances(
        IReadOnlyList<IReadOnlyList<double>> objectives,
        IReadOnlyList<int> front
    )
    {
        var size = front.Count;
        var distance = new double[size];
        if (size == 0)
            return distance;
        var m = objectives[front[0]].Count;
        for (var k = 0; k < m; k++)
        {
            var order = Enumerable
                .Range(0, size)
                .OrderBy(i => objectives[front[i]][k])
                .ThenBy(i => front[i])
                .ToArray();
            double min = objectives[front[order[0]]][k],
                max = objectives[front[order[^1]]][k];
            distance[order[0]] = double.PositiveInfinity;
            distance[order[^1]] = double.PositiveInfinity;
            if (max == min)
                continue;
            for (var r = 1; r < size - 1; r++)
                distance[order[r]] +=
                    (objectives[front[order[r + 1]]][k] - objectives[front[order[r - 1]]][k])
                    / (max - min);
        }
        return distance;
    }
}
