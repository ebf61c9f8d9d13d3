// A first script: loads the library through _setup.csx, does a small tensor computation, uses Args
// and saves a chart.
//     evomerge script scripts/00-hello-tensors.csx -- 4
// (or `dotnet script scripts/00-hello-tensors.csx -- 4` after `dotnet build -c Release`).
#load "_setup.csx"

var n = Args.Count > 0 ? int.Parse(Args[0]) : 3;
var a = torch.arange(n * n, dtype: float32).reshape(n, n);
var product = a.matmul(a.T);
Console.WriteLine($"a = arange({n * n}).reshape({n}, {n}); a @ aᵀ:");
Console.WriteLine(product.ToString(TorchSharp.TensorStringStyle.Julia));
Console.WriteLine(
    $"trace(a @ aᵀ) = {product.trace().item<float>()} (= sum of squares {a.pow(2).sum().item<float>()})"
);

// Row norms of a @ aᵀ as a tiny "trajectory" chart, saved offline under runs/00-hello-tensors/.
var norms = product.norm(1).data<float>().Select(v => (double)v).ToArray();
var chart = TrajectoryChart.Create(
    new ParameterTrajectories(
        Enumerable.Range(0, n).ToArray(),
        new[] { new GeneTrajectory("row norm of a @ aᵀ", norms) }
    ),
    "Row norms"
);
var html = ChartFiles.SaveHtml(
    chart,
    Path.Combine(OutputFolder("00-hello-tensors"), "row-norms.html")
);
Console.WriteLine($"chart: {Path.GetRelativePath(RepoRoot, html)}");
Console.WriteLine($"quick mode: {Quick}");
