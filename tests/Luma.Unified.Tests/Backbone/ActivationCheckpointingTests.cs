using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Attention;
using Luma.Unified.Tests.Support;
using Luma.Unified.Tests.Training;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Backbone;

/// <summary>Replays dropout masks from seeds, so it runs where nothing else draws random numbers.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class ActivationCheckpointingTests : TorchTest
{
    [Theory]
    [InlineData(ScalarType.Float32, 0.0, 1e-5)]
    [InlineData(ScalarType.Float32, 0.2, 1e-5)]
    [InlineData(ScalarType.BFloat16, 0.2, 1e-2)]
    public void CheckpointedBlocksGiveTheGradientsOfStoredActivations(ScalarType dtype, double dropout, double tolerance)
    {
        var stored = Gradients(checkpointing: false, dtype, dropout);
        var recomputed = Gradients(checkpointing: true, dtype, dropout);

        Assert.Equal(stored.Names, recomputed.Names);
        Assert.Equal(stored.Output, recomputed.Output, new ToleranceComparer(tolerance));
        for (var i = 0; i < stored.Grads.Count; i++)
        {
            var scale = stored.Grads[i].Select(Math.Abs).Max();
            Assert.True(scale > 0, $"{stored.Names[i]} has no gradient");
            Assert.Equal(stored.Grads[i].Select(g => g / scale), recomputed.Grads[i].Select(g => g / scale), new ToleranceComparer(tolerance));
        }
        // The random stream continues as if nothing had been recomputed.
        Assert.Equal(stored.NextRandom, recomputed.NextRandom);
    }

    [Fact]
    public void CheckpointingIsOnlyUsedWhenGradientsAreRecorded()
    {
        var backbone = Backbone(ScalarType.Float32, dropout: 0);
        backbone.ActivationCheckpointing = true;
        using var x = randn(2, 16, 32);
        using var positions = arange(16).unsqueeze(0).expand(2, -1);

        using var noGrad = no_grad();
        using var output = backbone.Forward(x, positions);

        Assert.False(output.requires_grad);
        Assert.Equal([2, 16, 32], output.shape);
    }

    private static TransformerBackbone Backbone(ScalarType dtype, double dropout)
    {
        manual_seed(3);
        var shape = new BackboneShape(Dim: 32, Layers: 3, Heads: 4, KvHeads: 2, MlpHidden: 64, RopeTheta: 10_000, NormEps: 1e-5, Dropout: dropout, MaxSeqLen: 64);
        return new TransformerBackbone(shape, new ComputePrecision(dtype));
    }

    private static (List<string> Names, List<double[]> Grads, double[] Output, float NextRandom) Gradients(bool checkpointing, ScalarType dtype, double dropout)
    {
        using var backbone = Backbone(dtype, dropout);
        backbone.ActivationCheckpointing = checkpointing;
        backbone.train();
        using var scope = NewDisposeScope();
        var x = randn(2, 16, 32).requires_grad_(true);
        var positions = arange(16).unsqueeze(0).expand(2, -1);
        var weights = randn(2, 16, 32);
        manual_seed(11);
        // Two documents per row: the mask travels through the checkpoint's saved tensors.
        var mask = AttentionMasks.CausalWithinDocuments(cat([zeros(2, 6, dtype: ScalarType.Int64), ones(2, 10, dtype: ScalarType.Int64)], 1));
        var output = backbone.Forward(x, positions, mask);
        (output * weights).sum().backward();
        var next = rand(1).item<float>();
        var named = backbone.named_parameters().ToList();
        return ([.. named.Select(p => p.name), "input"],
            [.. named.Select(p => Values(p.parameter.grad!)), Values(x.grad!)],
            Values(output.detach()), next);
    }

    private static double[] Values(Tensor t) => [.. t.to(ScalarType.Float64).flatten().data<double>().ToArray()];
}
