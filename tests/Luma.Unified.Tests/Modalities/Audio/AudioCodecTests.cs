using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Modalities.Audio;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training.Codecs;
using Luma.Unified.Training.Observability;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Modalities.Audio;

public sealed class AudioCodecTests : TorchTest
{
    /// <summary>A codec small enough to train in seconds: 8 kHz tones, hop 8, 2 codebooks of 32.</summary>
    public static readonly string[] Tiny =
    [
        "data.synth_clips=120", "data.sample_rate=8000", "data.clip_seconds=0.1", "data.validation_fraction=0.1",
        "codec.strides=[2, 4]", "codec.base_channels=8", "codec.latent_channels=16", "codec.codebooks=2", "codec.codebook_size=32",
        "train.steps=300", "train.batch_size=8", "train.lr=0.003", "train.eval_every=300", "train.log_every=100", "run.threads=1",
    ];

    [Fact]
    public void CodesHaveOneIndexPerCodebookPerFrameAndDecodeToTheSameLength()
    {
        using var codec = new AudioCodec(new AudioCodecShape([4, 5, 8], BaseChannels: 8, LatentDim: 16, Codebooks: 3, CodebookSize: 64));
        codec.eval();
        using var waveform = rand(2, 1, 1600) - 0.5;

        using var codes = codec.Encode(waveform);
        using var decoded = codec.Decode(codes);

        Assert.Equal([2L, 3L, 10L], codes.shape);
        Assert.InRange(codes.min().item<long>(), 0, 63);
        Assert.InRange(codes.max().item<long>(), 0, 63);
        Assert.Equal([2L, 1L, 1600L], decoded.shape);
    }

    [Fact]
    public void ATrainingStepGivesFiniteGradientsWhenFreedMemoryHoldsNaN()
    {
        using var scope = NewDisposeScope();
        using var codec = new AudioCodec(new AudioCodecShape([2, 4], BaseChannels: 8, LatentDim: 16, Codebooks: 2, CodebookSize: 32));
        var waveform = rand(4, 1, 800) - 0.5;

        var (mse, spectral, quantizer, _) = codec.Losses(waveform, 0.25);
        FreedMemory.FillWithNaN();
        (10 * mse + 0.1 * spectral + quantizer).backward();

        Assert.True(double.IsFinite(mse.item<float>()));
        Assert.Null(FreedMemory.FirstNonFiniteGradient(codec));
    }

    [Fact]
    public void SiSnrIsScaleInvariantAndPenalisesNoise()
    {
        using var signal = sin(arange(0, 1000, dtype: ScalarType.Float32) * 0.1).unsqueeze(0);
        manual_seed(1);
        using var noise = randn(1, 1000) * 0.1;

        Assert.True(AudioCodec.SiSnr(signal * 3, signal) > 60);
        Assert.InRange(AudioCodec.SiSnr(signal + noise, signal), 14, 20); // signal power 0.5, noise 0.01: ≈ 17 dB
    }

    [Fact]
    public void AShortTrainingRaisesHeldOutSiSnrAndTheCodecReloadsFrozen()
    {
        using var temp = new TempDirectory();
        var (config, _) = ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("codec-audio-16k.yaml"), Tiny);
        using var log = RunLogging.Create(jsonLogFile: null);

        var result = new AudioCodecTrainer(config, ConfigWriter.ToYaml(config), "test", log).Run(temp.Combine("codec"));

        Assert.Equal("SI-SNR", result.Metric);
        Assert.True(result.Final > result.Initial + 10, $"SI-SNR {result.Initial:0.00} → {result.Final:0.00} dB");
        var (codec, info) = CodecStore.LoadAudioCodec(temp.Combine("codec"));
        Assert.Equal(("audio-codec", 8000, 2, 32), (info.Kind, info.SampleRate!.Value, info.Codebooks!.Value, info.CodebookSize!.Value));
        Assert.Equal([2, 4], info.Strides);
        Assert.All(codec.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void BadStridesAreAConfigError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load<CodecTrainingConfig>(Repo.Config("codec-audio-16k.yaml"), ["codec.strides=[1, 40]"]));

        Assert.Contains("codec.strides = '[1, 40]': strides must be a non-empty list of integers from 2 to 16", error.Message, StringComparison.Ordinal);
    }
}
