using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Audio;

/// <summary>
/// ELU (α = 1) from scalar-free tensor ops: relu(x) + expm1(−relu(−x)). TorchSharp 0.107's <c>elu</c> passes α and its
/// scales as temporary native scalars that the garbage collector may free while libtorch still reads them; under
/// test (freed memory filled with NaN) that failed inside libtorch with "Expected false to be true" in
/// <c>Scalar::toFloat</c>. Same values and gradients as <c>nn.functional.elu</c>.
/// </summary>
public sealed class Elu : nn.Module<Tensor, Tensor>
{
    public Elu() : base(nameof(Elu))
    {
    }

    /// <summary>elu(<paramref name="x"/>), any shape.</summary>
    public static Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x.relu() + x.neg().relu().neg().expm1()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => Apply(input);
}
