using Luma.Unified.Backbone.Attention;
using Luma.Unified.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Backbone;

public sealed class ScoreMatrixAttentionTests : TorchTest
{
    /// <summary>A multimodal pattern: causal documents, the second with a bidirectional span of three positions.</summary>
    private static Tensor Mask()
    {
        using var documents = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1 }, [1, 9]);
        using var causal = AttentionMasks.CausalWithinDocuments(documents);
        var mask = causal.expand(2, 1, 9, 9).contiguous();
        mask[.., .., TensorIndex.Slice(4, 7), TensorIndex.Slice(4, 7)] = tensor(true);
        return mask;
    }

    private static (Tensor Q, Tensor K, Tensor V) Inputs() =>
        (randn(2, 4, 9, 16).requires_grad_(), randn(2, 4, 9, 16).requires_grad_(), randn(2, 4, 9, 16).requires_grad_());

    /// <summary>Leaf copies of the same inputs, for a second graph.</summary>
    private static (Tensor Q, Tensor K, Tensor V) Copies((Tensor Q, Tensor K, Tensor V) inputs) =>
        (inputs.Q.detach().clone().requires_grad_(), inputs.K.detach().clone().requires_grad_(), inputs.V.detach().clone().requires_grad_());

    [Fact]
    public void MatchesScaledDotProductAttentionWithTheSameMask()
    {
        using var mask = Mask();
        var inputs = Inputs();
        var (q, k, v) = inputs;
        var (q2, k2, v2) = Copies(inputs);
        using var expected = nn.functional.scaled_dot_product_attention(q, k, v, mask);
        using var actual = ScoreMatrixAttention.Forward(q2, k2, v2, mask);
        using var weights = randn_like(expected);
        (expected * weights).sum().backward();
        (actual * weights).sum().backward();

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.allclose(actual, rtol: 1e-4, atol: 1e-5), "outputs differ");
        foreach (var (reference, candidate, name) in new[] { (q, q2, "q"), (k, k2, "k"), (v, v2, "v") })
        {
            Assert.True(reference.grad!.allclose(candidate.grad!, rtol: 1e-4, atol: 1e-5), $"gradients of {name} differ");
        }
    }

    [Fact]
    public void Bf16InputsGiveBf16OutputsCloseToFp32()
    {
        using var mask = Mask();
        var (q, k, v) = Inputs();
        using var reference = ScoreMatrixAttention.Forward(q, k, v, mask);
        using var bf16 = ScoreMatrixAttention.Forward(q.to(ScalarType.BFloat16), k.to(ScalarType.BFloat16), v.to(ScalarType.BFloat16), mask);

        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        Assert.True((bf16.to(ScalarType.Float32) - reference).abs().max().item<float>() < 0.05f);
    }

    [Fact]
    public void AQueryThatMayAttendNothingGetsTheMeanOfTheValuesNotNaN()
    {
        using var mask = ones(1, 1, 3, 3, ScalarType.Bool).tril();
        mask[0, 0, 1] = tensor(new[] { false, false, false });
        var (q, k, v) = (randn(1, 2, 3, 8), randn(1, 2, 3, 8), randn(1, 2, 3, 8));

        using var attended = ScoreMatrixAttention.Forward(q, k, v, mask);

        Assert.False(attended.isnan().any().item<bool>());
        Assert.True(attended[0, .., 1].allclose(v[0].mean([1L]), atol: 1e-6));
    }

    [Fact]
    public void LeavesLargeScoreMatricesToScaledDotProductAttention()
    {
        // [1, 8, 8192, 8192] fp32 scores would be 2 GiB; the tensors themselves are 256 KiB each.
        using var longQuery = empty(1, 8, 8192, 1);
        using var shortQuery = empty(2, 8, 512, 1);

        Assert.False(ScoreMatrixAttention.Suits(longQuery, longQuery));
        Assert.True(ScoreMatrixAttention.Suits(shortQuery, shortQuery));
    }
}
