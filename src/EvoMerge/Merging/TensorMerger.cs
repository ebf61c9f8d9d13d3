using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>Runs one planned tensor's operation: inputs (in the plan's order) → output, on the inputs' device.</summary>
public static class TensorMerger
{
    /// <summary>Computes <paramref name="tensor"/>'s operation into <paramref name="output"/> (preallocated, its shape).</summary>
    public static void Merge(
        PlannedTensor tensor,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        MergeScratch scratch,
        long seed
    )
    {
        switch (tensor.Operation)
        {
            case LinearOperation linear:
                LinearKernels.Linear(linear, inputs, output, scratch);
                break;
            case PassthroughOperation pass:
                LinearKernels.Passthrough(pass, inputs[0], output);
                break;
            case TaskArithmeticOperation gta:
                TaskArithmeticKernel.Run(gta, inputs, output, scratch, seed, tensor.Name);
                break;
            case SlerpOperation slerp:
                SlerpKernels.Slerp(slerp.T, inputs[0], inputs[1], output, scratch);
                break;
            case NuSlerpOperation nuslerp:
                SlerpKernels.NuSlerp(nuslerp, inputs, output);
                break;
            case MultiSlerpOperation multi:
                SlerpKernels.MultiSlerp(multi, inputs, output, tensor.Name);
                break;
            case KarcherOperation karcher:
                SlerpKernels.Karcher(karcher, inputs, output);
                break;
            case NearSwapOperation near:
                SwapKernels.NearSwap(near, inputs[0], inputs[1], output, scratch);
                break;
            case ArceeFusionOperation:
                SwapKernels.ArceeFusion(inputs[0], inputs[1], output);
                break;
            case ModelStockOperation stock:
                ModelStockKernel.Run(stock, inputs, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(
                    nameof(tensor),
                    tensor.Operation,
                    "unknown operation"
                );
        }
    }
}
