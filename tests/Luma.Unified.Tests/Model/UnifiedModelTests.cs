using Luma.Unified.Backbone;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Loading;
using Luma.Unified.Heads;
using Luma.Unified.Model;
using Luma.Unified.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Model;

public sealed class UnifiedModelTests : TorchTest
{
    [Fact]
    public void CrossEntropyOfUniformLogitsIsLogVocab()
    {
        using var logits = zeros(2, 3, 10);
        using var targets = tensor(new long[] { 1, 2, 3, 4, 5, -100 }, [2, 3]);

        using var loss = AutoregressiveHead.Loss(logits, targets);

        Assert.Equal(Math.Log(10), loss.item<float>(), 5);
    }

    [Fact]
    public void EachModalitysLossIsTheMeanCrossEntropyOfItsOwnTargets()
    {
        manual_seed(6);
        using var model = new UnifiedModel(new ModelOptions { Dim = 32, Layers = 1, Heads = 4, KvHeads = 2 }, TestVocabulary.Of(("text", 10), ("sensor", 5)), new ComputePrecision());
        using var scope = NewDisposeScope();
        // Targets: two text ids, three sensor ids (10–14), one ignored.
        using var batch = SequenceBatchBuilder.Build([Rows.Row(6, Rows.Tokens(0, 1, 2, 11, 12, 3, 13))], CPU);
        var targets = batch.Targets;

        using var loss = model.Loss(batch);

        var logits = model.Logits(batch.Inputs, arange(6, dtype: ScalarType.Int64).unsqueeze(0));
        var perToken = nn.functional.cross_entropy(logits[0, ..5], targets[0, ..5], reduction: nn.Reduction.None).data<float>().ToArray();
        var parts = loss.PartValues();
        Assert.Equal((perToken[0] + perToken[3]) / 2, parts["text"], 4);
        Assert.Equal((perToken[1] + perToken[2] + perToken[4]) / 3, parts["sensor"], 4);
        Assert.Equal(parts["text"] + parts["sensor"], loss.Total.item<float>(), 4); // each modality weighs 1
    }

    [Fact]
    public void ParameterGroupsDecayOnlyLinearMatricesAndCoverEveryParameterOnce()
    {
        using var model = new UnifiedModel(new ModelOptions { Dim = 32, Layers = 2, Heads = 4, KvHeads = 2 }, TestVocabulary.Of(("text", 40)), new ComputePrecision());

        var (decay, noDecay) = model.ParameterGroups();

        Assert.All(decay, p => Assert.Equal(2, p.dim()));
        Assert.Contains(noDecay, p => p.dim() == 2); // the embedding
        Assert.Equal(model.parameters().Count(), decay.Count + noDecay.Count);
        Assert.Equal(2 * 7, decay.Count - 1); // 7 matrices per block, plus the output head
    }

    [Fact]
    public void TheStateDictUsesStableReadableNames()
    {
        using var model = new UnifiedModel(new ModelOptions { Dim = 32, Layers = 1, Heads = 4, KvHeads = 2 }, TestVocabulary.Of(("text", 40)), new ComputePrecision());

        var names = model.state_dict().Keys.ToList();

        Assert.Equal(
            [
                "tokenEmbedding.weight",
                "backbone.blocks.0.attentionNorm.weight",
                "backbone.blocks.0.attention.query.weight",
                "backbone.blocks.0.attention.key.weight",
                "backbone.blocks.0.attention.value.weight",
                "backbone.blocks.0.attention.output.weight",
                "backbone.blocks.0.mlpNorm.weight",
                "backbone.blocks.0.mlp.gate.weight",
                "backbone.blocks.0.mlp.up.weight",
                "backbone.blocks.0.mlp.down.weight",
                "backbone.finalNorm.weight",
                "tokenHead.projection.weight",
            ],
            names);
    }
}
