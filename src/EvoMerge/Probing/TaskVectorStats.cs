using System.Text.RegularExpressions;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Common;
using static TorchSharp.torch;

namespace EvoMerge.Probing;

/// <summary>
/// Per-layer task-vector norms and cosines, streamed one tensor at a time from the checkpoints (in
/// float64 sums, so a 7B model costs one tensor of memory per source, not a model).
/// </summary>
public static partial class TaskVectorStats
{
    public static IReadOnlyList<TaskVectorLayer> Compute(
        string baseFolder,
        IReadOnlyList<string> sourceFolders,
        Device device
    )
    {
        using var baseReader = CheckpointReader.Open(baseFolder);
        var readers = sourceFolders.Select(CheckpointReader.Open).ToList();
        try
        {
            int n = readers.Count;
            var pairs = PairIndices(n);
            // Per group: ‖base‖², ‖τ_i‖², ⟨τ_i, τ_j⟩.
            var sums = new SortedDictionary<(int Order, string Group), double[]>();
            double[] Sums(string group)
            {
                var key = (Order(group), group);
                if (!sums.TryGetValue(key, out var s))
                    sums[key] = s = new double[1 + n + pairs.Count];
                return s;
            }
            foreach (var name in baseReader.Names)
            {
                using var scope = NewDisposeScope();
                var b = baseReader.Load(name, device, ScalarType.Float32).to(ScalarType.Float64);
                var taus = readers.Select(r => TaskVector(r, name, b, device)).ToList();
                var values = new double[1 + n + pairs.Count];
                values[0] = b.square().sum().item<double>();
                for (int i = 0; i < n; i++)
                    values[1 + i] = taus[i].square().sum().item<double>();
                for (int p = 0; p < pairs.Count; p++)
                    values[1 + n + p] = (taus[pairs[p].I] * taus[pairs[p].J]).sum().item<double>();
                foreach (var group in new[] { GroupOf(name), "all" })
                {
                    var s = Sums(group);
                    for (int k = 0; k < values.Length; k++)
                        s[k] += values[k];
                }
            }
            return sums.Select(kv =>
                {
                    var s = kv.Value;
                    var ratios = Enumerable.Range(0, n).Select(i => Math.Sqrt(s[1 + i] / s[0]));
                    var cosines = pairs.Select(
                        (p, k) => s[1 + n + k] / Math.Sqrt(s[1 + p.I] * s[1 + p.J])
                    );
                    return new TaskVectorLayer(
                        kv.Key.Group,
                        ratios.ToValueArray(),
                        cosines.ToValueArray()
                    );
                })
                .ToList();
        }
        finally
        {
            foreach (var r in readers)
                r.Dispose();
        }
    }

    /// <summary>source − base for one tensor; a missing tensor or another shape is not a fine-tune of this base.</summary>
    static Tensor TaskVector(CheckpointReader source, string name, Tensor b, Device device)
    {
        if (!source.Contains(name))
            throw new SafetensorsException(
                source.Path,
                name,
                "missing, though the base has it: not a fine-tune of this base"
            );
        var x = source.Load(name, device, ScalarType.Float32).to(ScalarType.Float64);
        if (!x.shape.SequenceEqual(b.shape))
            throw new SafetensorsException(
                source.Path,
                name,
                $"shape [{string.Join(", ", x.shape)}] differs from the base's [{string.Join(", ", b.shape)}]: not a fine-tune of this base"
            );
        return x - b;
    }

    /// <summary>Every pair i &lt; j, in row order.</summary>
    public static IReadOnlyList<(int I, int J)> PairIndices(int n) =>
        [
            .. from i in Enumerable.Range(0, n)
            from j in Enumerable.Range(i + 1, n - i - 1)
            select (i, j),
        ];

    static string GroupOf(string tensor) =>
        LayerIndex().Match(tensor) is { Success: true } m ? $"layer {m.Groups[1].Value}" : "other";

    /// <summary>Layers in depth order, then "other", then "all".</summary>
    static int Order(string group) =>
        group switch
        {
            "all" => int.MaxValue,
            "other" => int.MaxValue - 1,
            _ => int.Parse(
                group["layer ".Length..],
                System.Globalization.CultureInfo.InvariantCulture
            ),
        };

    [GeneratedRegex(@"\.layers\.(\d+)\.")]
    private static partial Regex LayerIndex();
}
