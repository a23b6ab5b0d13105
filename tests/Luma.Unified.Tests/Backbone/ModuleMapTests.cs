using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using Luma.Unified.Config.Options;
using Luma.Unified.Model;
using Luma.Unified.Model.Inputs;
using Luma.Unified.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Backbone;

public sealed class ModuleMapTests : TorchTest
{
    [Fact]
    public void RegistersEachModuleUnderItsNameAndMovesWithTheParent()
    {
        using var map = new ModuleMap<Linear>();
        map.Add("image", nn.Linear(3, 2));
        map.Add("video", nn.Linear(4, 2));

        Assert.Equal(["image.weight", "image.bias", "video.weight", "video.bias"], map.state_dict().Keys);
        Assert.Equal(4, map["video"].weight!.shape[1]);

        // TorchSharp's ModuleDict throws here (two indexers named Item); a move to CUDA takes the same path.
        map.to(ScalarType.Float64);
        Assert.All(map.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(ScalarType.Float64, map["image"].weight!.dtype);
    }

    [Fact]
    public void AnUnknownNameListsTheRegisteredOnes()
    {
        using var map = new ModuleMap<Linear>();
        map.Add("image", nn.Linear(3, 2));

        var error = Assert.Throws<KeyNotFoundException>(() => map["audio"]);
        Assert.Equal("No module is registered as 'audio' (registered: image).", error.Message);
    }

    [Fact]
    public void TheUnifiedModelKeepsItsCheckpointNamesAndCanBeCast()
    {
        manual_seed(3);
        using var model = new UnifiedModel(
            new ModelOptions { Dim = 16, Layers = 1, Heads = 2, KvHeads = 1, MaxSeqLen = 32 }, TestVocabulary.Of(("text", 10)), new ComputePrecision(),
            new DiffusionOptions(), [new LatentModality("image", 3, GridSide: 2)]);
        var keys = model.state_dict().Keys.ToList();
        Assert.Contains(keys, k => k.StartsWith("latentInputs.image.", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("velocityHeads.image.", StringComparison.Ordinal));

        model.to(ScalarType.Float64);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
    }
}
