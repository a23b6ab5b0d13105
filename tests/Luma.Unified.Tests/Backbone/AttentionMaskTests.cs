using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Attention;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Backbone;

public sealed class AttentionMaskTests : TorchTest
{
    private static readonly BackboneShape s_shape = new(Dim: 32, Layers: 2, Heads: 4, KvHeads: 2, MlpHidden: 64, RopeTheta: 10000, NormEps: 1e-5, Dropout: 0, MaxSeqLen: 64);

    private static TransformerBackbone Backbone()
    {
        manual_seed(3);
        var backbone = new TransformerBackbone(s_shape, new ComputePrecision());
        backbone.eval();
        return backbone;
    }

    [Fact]
    public void TheMaskIsCausalInsideADocumentAndClosedBetweenDocuments()
    {
        using var ids = tensor(new long[] { 0, 0, 0, 1, 1 }, [1, 5]);
        using var mask = AttentionMasks.CausalWithinDocuments(ids);

        var expected = new bool[]
        {
            true, false, false, false, false,
            true, true, false, false, false,
            true, true, true, false, false,
            false, false, false, true, false,
            false, false, false, true, true,
        };
        Assert.Equal([1L, 1L, 5L, 5L], mask.shape);
        Assert.Equal(expected, mask.data<bool>().ToArray());
    }

    [Fact]
    public void ChangingALaterTokenNeverChangesEarlierOutputs()
    {
        using var backbone = Backbone();
        using var scope = NewDisposeScope();
        var x = randn(1, 10, 32);
        var changed = x.clone();
        changed[0, 7] = randn(32);
        var positions = arange(10, dtype: ScalarType.Int64).unsqueeze(0);
        var documents = zeros(1, 10, dtype: ScalarType.Int64);
        var mask = AttentionMasks.CausalWithinDocuments(documents);

        var before = backbone.Forward(x, positions, mask);
        var after = backbone.Forward(changed, positions, mask);

        Assert.True(before[0, ..7].allclose(after[0, ..7], rtol: 0, atol: 1e-6));
        Assert.False(before[0, 7..].allclose(after[0, 7..], rtol: 0, atol: 1e-3));
        // The explicit mask and SDPA's built-in causal path agree.
        Assert.True(before.allclose(backbone.Forward(x, positions), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void NothingCrossesPackedDocuments()
    {
        using var backbone = Backbone();
        using var scope = NewDisposeScope();
        var first = randn(1, 4, 32);
        var secondA = randn(1, 3, 32);
        var secondB = randn(1, 3, 32);
        var positions = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2 }, [1, 7]);
        var mask = AttentionMasks.CausalWithinDocuments(tensor(new long[] { 0, 0, 0, 0, 1, 1, 1 }, [1, 7]));

        var packedA = backbone.Forward(cat([first, secondA], dim: 1), positions, mask);
        var packedB = backbone.Forward(cat([first, secondB], dim: 1), positions, mask);
        var alone = backbone.Forward(secondA, arange(3, dtype: ScalarType.Int64).unsqueeze(0));

        // The first document does not see which document follows it...
        Assert.True(packedA[0, ..4].allclose(packedB[0, ..4], rtol: 0, atol: 1e-6));
        // ...and the second computes exactly as if it were alone.
        Assert.True(packedA[0, 4..].allclose(alone[0], rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void InsideAnImageEveryPositionSeesEveryOtherAndABlindImageSeesOnlyItselfAndTheDocumentStart()
    {
        // doc 0: t t [i i] t | doc 1: t [i i]
        using var documents = tensor(new long[] { 0, 0, 0, 0, 0, 1, 1, 1 }, [1, 8]);
        using var spans = tensor(new long[] { -1, -1, 0, 0, -1, -1, 1, 1 }, [1, 8]);
        using var segments = tensor(new long[] { -1, -1, 0, 0, -1, -1, 1, 1 }, [1, 8]);
        using var blind = tensor(new[] { false, false, true, true, false, false, false, false }, [1, 8]);
        using var starts = tensor(new[] { true, false, false, false, false, true, false, false }, [1, 8]);

        using var mask = AttentionMasks.Multimodal(documents, spans, segments, blind, starts);

        var m = mask.reshape(8, 8).data<bool>().ToArray();
        bool Sees(int q, int k) => m[q * 8 + k];
        Assert.True(Sees(6, 7) && Sees(7, 6));              // both ways inside an image
        Assert.True(Sees(7, 5) && !Sees(5, 6));             // causal outside it
        Assert.True(Sees(2, 3) && Sees(2, 0));              // the blind image: itself and the document start
        Assert.False(Sees(2, 1) || Sees(3, 1));             // but not the caption
        Assert.True(Sees(4, 1) && Sees(4, 3));              // text after it sees everything before
        Assert.DoesNotContain(Enumerable.Range(5, 3).SelectMany(q => Enumerable.Range(0, 5).Select(k => Sees(q, k))), seen => seen); // nothing crosses documents
    }
}
