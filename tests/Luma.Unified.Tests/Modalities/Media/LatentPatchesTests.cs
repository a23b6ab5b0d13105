using Luma.Unified.Modalities.Media;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Modalities.Media;

/// <summary>Grouping p × p latent cells into one position and back.</summary>
public sealed class LatentPatchesTests : TorchTest
{
    [Fact]
    public void APatchHoldsItsCellsChannelByChannelInRowMajorOrder()
    {
        using var scope = NewDisposeScope();
        var grid = arange(2 * 4 * 4, dtype: float32).reshape(2, 4, 4);   // channel 0: 0…15, channel 1: 16…31

        var patches = LatentPatches.Group(grid, 2);

        Assert.Equal([8L, 2, 2], patches.shape);
        Assert.Equal([0f, 1, 4, 5, 16, 17, 20, 21], patches[.., 0, 0].data<float>().ToArray());   // top-left patch
        Assert.Equal([10f, 11, 14, 15, 26, 27, 30, 31], patches[.., 1, 1].data<float>().ToArray()); // bottom-right
    }

    [Theory]
    [InlineData(new long[] { 4, 8, 8 }, 2, new long[] { 16, 4, 4 })]
    [InlineData(new long[] { 4, 8, 8 }, 4, new long[] { 64, 2, 2 })]
    [InlineData(new long[] { 3, 5, 4, 6 }, 2, new long[] { 12, 5, 2, 3 })]   // video: frames untouched
    [InlineData(new long[] { 4, 8, 8 }, 1, new long[] { 4, 8, 8 })]
    public void UngroupInvertsGroup(long[] shape, int patch, long[] grouped)
    {
        using var scope = NewDisposeScope();
        var latents = randn(shape, generator: new TorchSharp.torch.Generator(3));

        var patches = LatentPatches.Group(latents, patch);
        var back = LatentPatches.Ungroup(patches, patch);

        Assert.Equal(grouped, patches.shape);
        Assert.Equal(shape, back.shape);
        Assert.True(back.eq(latents).all().item<bool>());
    }

    [Fact]
    public void VideoPatchesNeverMixFrames()
    {
        using var scope = NewDisposeScope();
        var video = arange(3L).reshape(1, 3, 1, 1).expand(1, 3, 4, 4).to(float32);   // frame f is all f

        var patches = LatentPatches.Group(video, 2);

        for (var f = 0; f < 3; f++)
        {
            Assert.True(patches[.., f].eq(f).all().item<bool>());
        }
    }
}
