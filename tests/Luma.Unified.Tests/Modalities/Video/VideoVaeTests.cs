using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Modalities.Video;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training.Codecs;
using Luma.Unified.Training.Observability;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Modalities.Video;

public sealed class VideoVaeTests : TorchTest
{
    private static VideoVae Small() => new(new VideoVaeShape(new ImageVaeShape(4, 4, 8), TemporalDownsample: 2, LatentChannels: 3));

    [Fact]
    public void TheFirstFrameStaysAloneAndLaterFramesAreCompressedInGroups()
    {
        using var vae = Small();
        using var clips = rand(new long[] { 2, 3, 9, 16, 16 }) * 2 - 1;

        var (mean, _) = vae.Encode(clips);
        using var decoded = vae.Decode(mean);

        Assert.Equal([2L, 3L, 5L, 4L, 4L], mean.shape);
        Assert.Equal(clips.shape, decoded.shape);
        Assert.Throws<ArgumentException>(() => vae.Encode(rand(new long[] { 1, 3, 8, 16, 16 })));
    }

    [Fact]
    public void AFreshVaeIsFiniteAndATrainingStepStaysFiniteWhenFreedMemoryHoldsNaN()
    {
        using var scope = NewDisposeScope();
        using var vae = Small();
        Assert.Null(FreedMemory.FirstNonFiniteParameter(vae));
        var clips = rand(new long[] { 2, 3, 5, 16, 16 }) * 2 - 1;

        var (reconstruction, kl, _) = vae.Losses(clips);
        FreedMemory.FillWithNaN();
        (reconstruction + 1e-6 * kl).backward();

        Assert.True(double.IsFinite(reconstruction.item<float>()) && double.IsFinite(kl.item<float>()));
        Assert.Null(FreedMemory.FirstNonFiniteGradient(vae));
    }

    [Fact]
    public void LatentFramesAreCausal()
    {
        using var vae = Small();
        vae.eval();
        manual_seed(2);
        using var clip = rand(new long[] { 1, 3, 9, 16, 16 }) * 2 - 1;
        using var changed = clip.clone();
        changed[.., .., 8] = rand(new long[] { 1, 3, 16, 16 });   // the last frame (latent frame 4)

        var (before, _) = vae.Encode(clip);
        var (after, _) = vae.Encode(changed);

        Assert.True(before[.., .., ..4].allclose(after[.., .., ..4]));
        Assert.False(before[.., .., 4].allclose(after[.., .., 4]));
    }

    [Fact]
    public void AShortTrainingRaisesHeldOutPsnrAndTheCodecReloads()
    {
        using var temp = new TempDirectory();
        var (config, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("vae-video-32.yaml"),
            ["data.synth_videos=120", "data.image_size=16", "data.video_frames=5", "data.validation_fraction=0.1", "codec.base_channels=8",
             "train.steps=80", "train.eval_every=80", "train.log_every=40", "run.threads=1"]);
        using var log = RunLogging.Create(jsonLogFile: null);

        var result = CodecTraining.Run(config, "test", log, temp.Combine("vae"));

        Assert.True(result.Final > result.Initial + 3, $"PSNR {result.Initial:0.00} → {result.Final:0.00} dB");
        var (vae, info) = CodecStore.LoadVideoVae(temp.Combine("vae"));
        Assert.Equal(("video-vae", 2, 8), (info.Kind, info.TemporalDownsample!.Value, info.FrameChannels!.Value));
        Assert.All(vae.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void AFrameCountThatIsNotOnePlusAMultipleIsAConfigError()
    {
        var (config, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("vae-video-32.yaml"), ["data.video_frames=8"]);
        using var log = RunLogging.Create(jsonLogFile: null);

        var error = Assert.Throws<ConfigException>(() => CodecTraining.Run(config, "vae-video-32.yaml", log, "unused"));

        Assert.Contains("data.video_frames = '8': must be 1 + k·codec.temporal_downsample (2)", error.Message, StringComparison.Ordinal);
    }
}
