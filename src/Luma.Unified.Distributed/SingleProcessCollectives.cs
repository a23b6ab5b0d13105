using static TorchSharp.torch;

namespace Luma.Unified.Distributed;

/// <summary>World size 1: every collective is the identity (gather and scatter copy), no engine is loaded.</summary>
public sealed class SingleProcessCollectives : ICollectives
{
    public int Rank => 0;

    public int WorldSize => 1;

    public string Engine => "single process";

    public void AllReduceSum(Tensor tensor) => TensorMemory.RequireContiguous(tensor);

    public void Broadcast(Tensor tensor, int root)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(root, 0);
        TensorMemory.RequireContiguous(tensor);
    }

    public void AllGather(Tensor input, Tensor output) => Copy(input, output);

    public void ReduceScatterSum(Tensor input, Tensor output) => Copy(input, output);

    public void Barrier()
    {
    }

    public void Dispose()
    {
    }

    private static void Copy(Tensor input, Tensor output)
    {
        TensorMemory.RequireSameElements(input, output, 1);
        using var noGrad = no_grad();
        output.view(-1).copy_(input.view(-1));
    }
}
