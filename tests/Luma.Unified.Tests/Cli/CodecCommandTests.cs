using Luma.Unified.Cli;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

public sealed class CodecCommandTests
{
    [Fact]
    public void TrainEncodeDecodeAsAUserRunsThem()
    {
        using var temp = new TempDirectory();
        string[] tiny =
        [
            "--set", "data.synth_images=200", "--set", "data.image_size=32", "--set", "data.validation_fraction=0.1", "--set", "codec.downsample=4",
            "--set", "codec.base_channels=16", "--set", "train.steps=30", "--set", "train.batch_size=8", "--set", "train.eval_every=30",
        ];
        var image = temp.Combine("star.png");
        File.WriteAllBytes(image, ImageCodec.EncodePng(new ShapeScene("yellow", "star", "large", "middle", "center").Render(32)));

        var train = LumaProcess.InProcess(["codec", "train", "--config", Repo.Config("vae-image-64.yaml"), "--out", temp.Combine("vae"), .. tiny]);
        var encode = LumaProcess.InProcess("codec", "encode", "--codec", temp.Combine("vae"), "--input", image, "--out", temp.Combine("star.safetensors"));
        var decode = LumaProcess.InProcess("codec", "decode", "--codec", temp.Combine("vae"), "--input", temp.Combine("star.safetensors"), "--out", temp.Combine("star.decoded.png"));

        Assert.True(train.ExitCode == ExitCodes.Success, train.Error);
        Assert.Matches(@"held-out PSNR: \d+\.\d\d -> \d+\.\d\d dB", train.Output);
        Assert.Matches(@"latent scaling factor: \d+\.\d{4}", train.Output);
        Assert.Equal(ExitCodes.Success, encode.ExitCode);
        Assert.Contains("latents 1×4×8×8", encode.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, decode.ExitCode);
        var decoded = ImageCodec.Decode(File.ReadAllBytes(temp.Combine("star.decoded.png")));
        Assert.Equal((32, 32), (decoded.Width, decoded.Height));
        Assert.True(File.Exists(temp.Combine("star.reconstruction.png")));
    }

    [Fact]
    public void AnAudioCodecTrainsEncodesWavToCodesAndDecodesThemBack()
    {
        using var temp = new TempDirectory();
        var wav = temp.Combine("tone.wav");
        File.WriteAllBytes(wav, WavCodec.Encode(new ToneSpec(440, 0.5, "loud").Render(8000)));
        string[] overrides = [.. Luma.Unified.Tests.Modalities.Audio.AudioCodecTests.Tiny.Select(o => o.Replace("train.steps=300", "train.steps=20", StringComparison.Ordinal).Replace("train.eval_every=300", "train.eval_every=20", StringComparison.Ordinal)).SelectMany(o => new[] { "--set", o })];

        var train = LumaProcess.InProcess(["codec", "train", "--config", Repo.Config("codec-audio-16k.yaml"), "--out", temp.Combine("codec"), .. overrides]);
        var encode = LumaProcess.InProcess("codec", "encode", "--codec", temp.Combine("codec"), "--input", wav, "--out", temp.Combine("tone.safetensors"));
        var decode = LumaProcess.InProcess("codec", "decode", "--codec", temp.Combine("codec"), "--input", temp.Combine("tone.safetensors"), "--out", temp.Combine("tone.decoded.wav"));
        var wrongRate = temp.Combine("tone16k.wav");
        File.WriteAllBytes(wrongRate, WavCodec.Encode(new ToneSpec(440, 0.5, "loud").Render(16_000)));
        var refused = LumaProcess.InProcess("codec", "encode", "--codec", temp.Combine("codec"), "--input", wrongRate, "--out", temp.Combine("x.safetensors"));

        Assert.True(train.ExitCode == ExitCodes.Success, train.Error);
        Assert.Matches(@"held-out SI-SNR: -?\d+\.\d\d -> -?\d+\.\d\d dB", train.Output);
        Assert.Equal(ExitCodes.Success, encode.ExitCode);
        Assert.Contains("codes 1×2×500", encode.Output, StringComparison.Ordinal); // 4,000 samples / hop 8
        Assert.Equal(ExitCodes.Success, decode.ExitCode);
        var decoded = WavCodec.Decode(File.ReadAllBytes(temp.Combine("tone.decoded.wav")));
        Assert.Equal((8000, 4000), (decoded.SampleRate, decoded.Samples.Length));
        Assert.Equal(ExitCodes.RuntimeFailure, refused.ExitCode);
        Assert.Contains("sampled at 16000 Hz; this codec works at 8000 Hz", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AVideoCodecEncodesAFrameStripAndDecodesItBack()
    {
        using var temp = new TempDirectory();
        var strip = temp.Combine("clip.frames.png");
        File.WriteAllBytes(strip, FrameStripCodec.Encode(new MotionSpec("green", "square", "left").Render(16, 5, 8)));
        string[] tiny =
        [
            "--set", "data.synth_videos=40", "--set", "data.image_size=16", "--set", "data.video_frames=5", "--set", "data.validation_fraction=0.2",
            "--set", "codec.base_channels=8", "--set", "train.steps=5", "--set", "train.eval_every=5",
        ];

        var train = LumaProcess.InProcess(["codec", "train", "--config", Repo.Config("vae-video-32.yaml"), "--out", temp.Combine("video"), .. tiny]);
        var encode = LumaProcess.InProcess("codec", "encode", "--codec", temp.Combine("video"), "--input", strip, "--out", temp.Combine("clip.safetensors"));
        var decode = LumaProcess.InProcess("codec", "decode", "--codec", temp.Combine("video"), "--input", temp.Combine("clip.safetensors"), "--out", temp.Combine("clip.decoded.png"));

        Assert.True(train.ExitCode == ExitCodes.Success, train.Error);
        Assert.Equal(ExitCodes.Success, encode.ExitCode);
        Assert.Contains("latents 1×4×3×4×4", encode.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, decode.ExitCode);
        var decoded = ImageCodec.Decode(File.ReadAllBytes(temp.Combine("clip.decoded.png")));
        Assert.Equal((80, 16), (decoded.Width, decoded.Height)); // 5 frames of 16×16 side by side
    }

    [Fact]
    public void UsingSomethingThatIsNotACodecExitsWithOne()
    {
        using var temp = new TempDirectory();

        var outcome = LumaProcess.InProcess("codec", "decode", "--codec", temp.Path, "--input", "x.safetensors", "--out", "y.png");

        Assert.Equal(ExitCodes.RuntimeFailure, outcome.ExitCode);
        Assert.Contains("is not a saved codec", outcome.Error, StringComparison.Ordinal);
    }
}
