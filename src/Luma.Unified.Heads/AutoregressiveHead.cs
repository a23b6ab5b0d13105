using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Heads;

/// <summary>
/// Next-token head over a discrete vocabulary: hidden <c>[b, n, d]</c> → logits <c>[b, n, vocab]</c>.
/// The projection runs in the compute dtype; the logits are returned in fp32 because they feed a softmax loss.
/// </summary>
public sealed class AutoregressiveHead : nn.Module<Tensor, Tensor>
{
    private readonly CastingLinear projection;

    public AutoregressiveHead(int dim, int vocabSize, ComputePrecision precision) : base(nameof(AutoregressiveHead))
    {
        VocabSize = vocabSize;
        projection = new CastingLinear(dim, vocabSize, precision);
        RegisterComponents();
    }

    /// <summary>Size of the vocabulary the head predicts.</summary>
    public int VocabSize { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return projection.forward(hidden).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> <c>[b, n, vocab]</c> against <paramref name="targets"/>
    /// <c>[b, n]</c>; targets equal to <paramref name="ignoreIndex"/> do not count.
    /// </summary>
    public static Tensor Loss(Tensor logits, Tensor targets, long ignoreIndex = -100)
    {
        using var scope = NewDisposeScope();
        var flatLogits = logits.reshape(-1, logits.shape[^1]);
        return nn.functional.cross_entropy(flatLogits, targets.reshape(-1), ignore_index: ignoreIndex).MoveToOuterDisposeScope();
    }
}
