using Luma.Unified.Data.Loading;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Data.Loading;

public sealed class SequenceBatchBuilderTests : TorchTest
{
    [Fact]
    public void AnImageTakesTwoDimensionalPositionsAndTextContinuesAfterItsLargestExtent()
    {
        // <bos> a b <start> [3×3 image] <end> c <eos>
        var row = Rows.Row(16, Rows.Tokens(0, 1, 2, 3, 4), Rows.Image(0, side: 3, channels: 2), Rows.Tokens(0, 5, 6, 7));

        using var batch = SequenceBatchBuilder.Build([row], CPU);

        var positions = batch.Positions[0].data<long>().ToArray();
        long[] At(int i) => positions[(3 * i)..(3 * i + 3)];
        Assert.Equal([3L, 3L, 3L], At(3));                 // the start marker
        Assert.Equal([4L, 4L, 4L], At(4));                 // image cell (0, 0)
        Assert.Equal([4L, 4L, 5L], At(5));                 // (0, 1)
        Assert.Equal([4L, 6L, 6L], At(12));                // (2, 2)
        Assert.Equal([7L, 7L, 7L], At(13));                // the end marker: 4 + extent 3
        var targets = batch.Targets[0].data<long>().ToArray();
        Assert.Equal(4, targets[2]);                        // text predicts the start marker
        Assert.All(targets[3..13], t => Assert.Equal(-100, t)); // nothing predicts into or out of the image
        Assert.Equal(6, targets[13]);
        var spans = batch.SpanIds[0].data<long>().ToArray();
        Assert.All(spans[4..13], s => Assert.Equal(spans[4], s));
        Assert.True(spans[4] >= 0);
        Assert.Equal(-1, spans[3]);
        var image = Assert.Single(batch.Media);
        Assert.Equal([9L, 2L], image.Latents.shape);
        Assert.Equal(Enumerable.Range(4, 9).Select(i => (long)i), image.Index.data<long>().ToArray());
        Assert.Equal([true], image.Noised.data<bool>().ToArray());
    }

    [Fact]
    public void EachVideoFrameIsASpanAndANoiseGroupOfItsOwn()
    {
        var row = Rows.Row(24, Rows.Tokens(0, 1, 2), Rows.Video(0, frames: 3, side: 2, channels: 2), Rows.Tokens(0, 3));

        using var batch = SequenceBatchBuilder.Build([row], CPU);

        var video = Assert.Single(batch.Media);
        Assert.Equal(3, video.Groups);
        Assert.Equal([0L, 0L, 0L, 0L, 1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L], video.Group.data<long>().ToArray());
        var spans = batch.SpanIds[0].data<long>().ToArray()[2..14];
        Assert.Equal(3, spans.Distinct().Count());
        var segments = batch.SegmentIds[0].data<long>().ToArray()[2..14];
        Assert.Single(segments.Distinct());
        var temporal = batch.Positions[0].select(1, 0).data<long>().ToArray();
        Assert.Equal([2L, 2L, 2L, 2L, 3L, 3L, 3L, 3L, 4L, 4L, 4L, 4L], temporal[2..14]);
    }

    [Fact]
    public void OnlyMediaThatLaterContentReadsIsKeptCleanAndOnlyMediaWithContextIsBlinded()
    {
        // Document 0: caption then image (text → image). Document 1: image then caption (image → text).
        var row = Rows.Row(40,
            Rows.Tokens(0, 1, 2, 3, 4), Rows.Image(0, 2, 2), Rows.Tokens(0, 5, 6),
            Rows.Tokens(1, 1, 4), Rows.Image(1, 2, 2), Rows.Tokens(1, 5, 7, 8, 9, 6));
        var always = new MediaPolicy(CleanProbability: 1, ConditionDropout: 1, new Random(1));

        using var batch = SequenceBatchBuilder.Build([row], CPU, always);

        var image = Assert.Single(batch.Media);
        Assert.Equal([true, false], image.Noised.data<bool>().ToArray());
        var blind = batch.Blind[0].data<bool>().ToArray();
        Assert.All(blind[4..8], Assert.True);                // document 0's image had a caption to drop
        Assert.All(blind[12..16], Assert.False);             // document 1's image had only <bos> <start> before it
        var starts = batch.DocumentStarts[0].data<bool>().ToArray();
        Assert.Equal([0, 10], Enumerable.Range(0, starts.Length).Where(i => starts[i]));
    }
}
