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
        Assert.Equal(ExitCodes.Success, encode.ExitCode);
        Assert.Contains("latents 1×4×8×8", encode.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, decode.ExitCode);
        var decoded = ImageCodec.Decode(File.ReadAllBytes(temp.Combine("star.decoded.png")));
        Assert.Equal((32, 32), (decoded.Width, decoded.Height));
        Assert.True(File.Exists(temp.Combine("star.reconstruction.png")));
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
