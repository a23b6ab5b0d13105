using static TorchSharp.torch;

namespace Luma.Unified.Backbone;

/// <summary>
/// The dtype matmul-bearing layers compute in, shared by every layer of a model so it can be switched at once.
/// Weights, gradients and optimizer state stay fp32 whatever this says: layers cast on the way in
/// (TorchSharp 0.107 has no autocast), and norms, rotary tables, softmax statistics and loss logits stay fp32.
/// </summary>
public sealed class ComputePrecision(ScalarType dtype = ScalarType.Float32)
{
    /// <summary>fp32 or bf16. fp16 is refused: on CPU it runs ~700× slower than bf16.</summary>
    public ScalarType Dtype
    {
        get => dtype;
        set => dtype = value is ScalarType.Float32 or ScalarType.BFloat16
            ? value
            : throw new ArgumentException($"Compute dtype {value} is not supported: use Float32 or BFloat16.", nameof(value));
    }

    /// <summary><paramref name="x"/> in the compute dtype (no copy when it already is).</summary>
    public Tensor Cast(Tensor x) => x.dtype == Dtype ? x.alias() : x.to(Dtype);
}
