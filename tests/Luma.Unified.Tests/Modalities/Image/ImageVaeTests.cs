using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training.Codecs;
using Luma.Unified.Training.Observability;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Modalities.Image;

public sealed class ImageVaeTests : TorchTest
{
    /// <summary>A VAE small enough to train in seconds: 300 images of 32², f = 4, 16 channels.</summary>
    private static readonly string[] s_tiny =
    [
        "data.synth_images=300", "data.image_size=32", "data.validation_fraction=0.1", "codec.downsample=4", "codec.base_channels=16",
        "train.steps=80", "train.batch_size=8", "train.eval_every=80", "train.log_every=40", "run.threads=1",
    ];

    [Theory]
    [InlineData(4, 16)]
    [InlineData(8, 8)]
    [InlineData(16, 4)]
    public void LatentsAreTheImageDividedByTheDownsamplingFactor(int downsample, int latentSide)
    {
        using var vae = new ImageVae(new ImageVaeShape(downsample, LatentChannels: 3, BaseChannels: 8));
        using var images = rand(2, 3, 64, 64) * 2 - 1;

        var (mean, logVariance) = vae.Encode(images);
        using var decoded = vae.Decode(mean);

        Assert.Equal([2L, 3L, latentSide, latentSide], mean.shape);
        Assert.Equal(mean.shape, logVariance.shape);
        Assert.Equal([2L, 3L, 64L, 64L], decoded.shape);
        Assert.False(decoded.isnan().any().item<bool>());
    }

    // Regression: configs/vae-image-64.yaml logged "reconstruction NaN kl NaN" from a random step (25, 114, …) because
    // libtorch's convolution backward for the 3-channel output and 8-channel moments read uninitialised memory (see
    // ChannelPadding). With freed memory full of NaN before each backward, every step failed before the fix.
    [Fact]
    public void AFreshVaeIsFiniteAndItsTrainingStepsStayFiniteWhenFreedMemoryHoldsNaN()
    {
        using var vae = new ImageVae(new ImageVaeShape(4, LatentChannels: 4, BaseChannels: 16));
        Assert.Null(FreedMemory.FirstNonFiniteParameter(vae));
        using var optimizer = optim.AdamW(vae.parameters(), 2e-3, weight_decay: 0);
        using var images = rand(8, 3, 32, 32) * 2 - 1;

        for (var step = 1; step <= 3; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (reconstruction, kl, _) = vae.Losses(images);
            FreedMemory.FillWithNaN();
            (reconstruction + 1e-6 * kl).backward();

            Assert.True(double.IsFinite(reconstruction.item<float>()) && double.IsFinite(kl.item<float>()), $"step {step}: non-finite loss");
            Assert.True(FreedMemory.FirstNonFiniteGradient(vae) is null, $"step {step}: gradient of {FreedMemory.FirstNonFiniteGradient(vae)} is not finite");
            optimizer.step();
        }
        Assert.Null(FreedMemory.FirstNonFiniteParameter(vae));
    }

    [Fact]
    public void ThePatchDiscriminatorPassesAFiniteGradientToTheImagesWhenFreedMemoryHoldsNaN()
    {
        using var scope = NewDisposeScope();
        using var discriminator = new PatchDiscriminator(8);
        Assert.Null(FreedMemory.FirstNonFiniteParameter(discriminator));
        var images = (rand(4, 3, 32, 32) * 2 - 1).requires_grad_(true);

        var loss = discriminator.GeneratorLoss(images);
        FreedMemory.FillWithNaN();
        loss.backward();

        Assert.Equal([4L, 1L, 4L, 4L], discriminator.forward(images).shape);
        Assert.True(images.grad!.isfinite().all().item<bool>(), "gradient to the images is not finite");
        Assert.Null(FreedMemory.FirstNonFiniteGradient(discriminator));
    }

    [Fact]
    public void ABadDownsamplingFactorIsAConfigError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("vae-image-64.yaml"), ["codec.downsample=6"]));

        Assert.Contains("codec.downsample = '6': downsample must be 4, 8 or 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AShortTrainingRaisesHeldOutPsnrAndTheSavedCodecReloadsFrozenAndIdentical()
    {
        using var temp = new TempDirectory();
        var (config, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("vae-image-64.yaml"), s_tiny);
        using var log = RunLogging.Create(jsonLogFile: null);

        var result = CodecTraining.Run(config, "test", log, temp.Combine("vae"));

        Assert.True(result.Final > result.Initial + 4, $"PSNR {result.Initial:0.00} → {result.Final:0.00} dB");
        Assert.InRange(result.ScalingFactor, 0.05, 50);
        var (vae, info) = CodecStore.LoadImageVae(temp.Combine("vae"));
        Assert.Equal(("image-vae", 4, 32, result.ScalingFactor), (info.Kind, info.Downsample!.Value, info.ImageSize!.Value, info.ScalingFactor!.Value));
        Assert.All(vae.parameters(), p => Assert.False(p.requires_grad));
        Assert.True(File.Exists(temp.Combine("vae", "codec.yaml")));
        // The reloaded codec reproduces the PSNR the trainer measured.
        using var images = CodecMedia.LoadImages(config.Data, config.Run.Seed, "test");
        Assert.Equal(result.Final, VaeTrainer.Psnr(vae, images.Validation), 3);
    }

    [Fact]
    public void TheOptionalAdversarialTermTrainsAPatchDiscriminatorAlongsideAndIsNotSaved()
    {
        using var temp = new TempDirectory();
        var (config, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("vae-image-64.yaml"),
            [.. s_tiny.Where(o => !o.StartsWith("train.steps", StringComparison.Ordinal) && !o.StartsWith("train.eval_every", StringComparison.Ordinal)),
             "train.steps=12", "train.eval_every=12", "codec.adversarial_weight=0.1", "codec.adversarial_start=4"]);
        using var log = RunLogging.Create(jsonLogFile: null);

        var result = CodecTraining.Run(config, "test", log, temp.Combine("vae"));

        Assert.True(double.IsFinite(result.Final));
        var saved = TorchSharp.PyBridge.Safetensors.LoadStateDict(temp.Combine("vae", "codec.safetensors"));
        Assert.DoesNotContain(saved.Keys, k => k.Contains("layers", StringComparison.Ordinal));
        Assert.Equal(new ImageVae(new ImageVaeShape(4, 4, 16)).state_dict().Keys.Order(), saved.Keys.Order());
    }

    [Fact]
    public void LoadingSomethingThatIsNotACodecNamesIt()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => CodecStore.LoadImageVae(temp.Path));

        Assert.Contains($"{temp.Path} is not a saved codec: codec.json is missing", error.Message, StringComparison.Ordinal);
    }
}
