using Luma.Unified.Distributed;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Distributed;

/// <summary>
/// Sums gradients over ranks in buckets of at most <c>train.bucket_mb</c>: small gradients are packed into one
/// persistent buffer per bucket (one copy in, one out, as PyTorch's DDP does by default), so the engine sees a few
/// large messages instead of one per tensor; a gradient at least a bucket large is reduced in place, without a copy.
/// TorchSharp 0.107 exposes no gradient hooks, so reduction starts after the step's last backward, not during it.
/// A parameter that no rank gave a gradient keeps none (as on one rank); one that some rank did gets the sum.
/// </summary>
public sealed class GradientBuckets(ICollectives world, IReadOnlyList<Parameter> parameters, double bucketMegabytes) : IDisposable
{
    private readonly long _bucketElements = Math.Max(1, (long)(bucketMegabytes * 1024 * 1024 / sizeof(float)));
    private Tensor? _buffer;

    /// <summary>Copies rank 0's parameters into every rank's (run once before training, so all start identical).</summary>
    public void BroadcastParameters()
    {
        using var noGrad = no_grad();
        foreach (var parameter in parameters)
        {
            world.Broadcast(parameter, root: 0);
        }
    }

    /// <summary>Replaces each parameter's gradient by its sum over all ranks.</summary>
    public void AllReduce()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var present = zeros(parameters.Count, ScalarType.Float32);
        for (var i = 0; i < parameters.Count; i++)
        {
            present[i] = parameters[i].grad is null ? 0f : 1f;
        }
        world.AllReduceSum(present);
        var flags = present.data<float>().ToArray();
        var bucket = new List<Tensor>();
        long filled = 0;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (flags[i] == 0)
            {
                continue;
            }
            var grad = parameters[i].grad ?? ZeroGradient(parameters[i]);
            if (grad.dtype != ScalarType.Float32 || !grad.is_contiguous())
            {
                throw new InvalidOperationException($"gradient {i} is a {(grad.is_contiguous() ? "" : "strided ")}{grad.dtype} tensor; data-parallel reduction expects contiguous float32 gradients.");
            }
            if (grad.numel() >= _bucketElements)
            {
                world.AllReduceSum(grad);
                continue;
            }
            if (filled + grad.numel() > _bucketElements)
            {
                Flush(bucket, filled);
                (bucket, filled) = ([], 0);
            }
            bucket.Add(grad);
            filled += grad.numel();
        }
        Flush(bucket, filled);
    }

    public void Dispose() => _buffer?.Dispose();

    private static Tensor ZeroGradient(Parameter parameter)
    {
        parameter.grad = zeros_like(parameter).DetachFromDisposeScope();
        return parameter.grad!;
    }

    private void Flush(List<Tensor> bucket, long filled)
    {
        if (bucket.Count == 0)
        {
            return;
        }
        _buffer ??= empty(_bucketElements, ScalarType.Float32, bucket[0].device).DetachFromDisposeScope();
        var flat = _buffer.narrow(0, 0, filled);
        long offset = 0;
        foreach (var grad in bucket)
        {
            flat.narrow(0, offset, grad.numel()).copy_(grad.view(-1));
            offset += grad.numel();
        }
        world.AllReduceSum(flat);
        offset = 0;
        foreach (var grad in bucket)
        {
            grad.view(-1).copy_(flat.narrow(0, offset, grad.numel()));
            offset += grad.numel();
        }
    }
}
