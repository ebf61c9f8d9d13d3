// A first script: loads the library through _setup.csx, does a small tensor computation, uses Args.
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
Console.WriteLine($"quick mode: {Quick}; repository: {Path.GetFileName(RepoRoot)}");
