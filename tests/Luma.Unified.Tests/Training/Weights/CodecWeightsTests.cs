using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training.Weights;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training.Weights;

public sealed class CodecWeightsTests(TinyCodecs codecs) : TorchTest, IClassFixture<TinyCodecs>
{
    [Theory]
    [InlineData("image", "image-vae")]
    [InlineData("video", "video-vae")]
    [InlineData("audio", "audio-codec")]
    public void ACodecSurvivesExportAndImportBitForBit(string modality, string kind)
    {
        using var temp = new TempDirectory();
        var source = modality switch { "image" => codecs.Image, "video" => codecs.Video, _ => codecs.Audio };
        var file = temp.Combine($"{modality}.safetensors");

        var export = LumaProcess.InProcess("weights", "export", source, "--out", file);
        var import = LumaProcess.InProcess("weights", "import", file, "--out", temp.Combine("imported"));

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains(kind, export.Output, StringComparison.Ordinal);
        var (original, originalInfo) = CodecStore.Load(source);
        var (imported, importedInfo) = CodecStore.Load(temp.Combine("imported"));
        Assert.Equal(originalInfo, importedInfo with { Strides = originalInfo.Strides });
        Assert.Equal(originalInfo.Strides ?? [], importedInfo.Strides ?? []);
        var parsed = PlainSafetensors.Read(file);
        Assert.Equal(kind, parsed.Metadata["kind"]);
        Assert.Equal(CodecStore.ConfigOf(source), parsed.Metadata["config"]);
        foreach (var (key, tensor) in original.state_dict())
        {
            Assert.Equal(tensor.contiguous().bytes.ToArray(), imported.state_dict()[key].contiguous().bytes.ToArray());
            Assert.Equal(tensor.contiguous().bytes.ToArray(), parsed.TensorBytes(PyTorchNames.Of(key)));
        }
    }

    [Fact]
    public void AnImportedImageVaeDecodesExactlyLikeTheOriginal()
    {
        using var temp = new TempDirectory();
        var file = temp.Combine("vae.safetensors");
        Assert.Equal(0, LumaProcess.InProcess("weights", "export", codecs.Image, "--out", file).ExitCode);
        Assert.Equal(0, LumaProcess.InProcess("weights", "import", file, "--out", temp.Combine("imported")).ExitCode);
        var (original, _) = CodecStore.LoadImageVae(codecs.Image);
        var (imported, _) = CodecStore.LoadImageVae(temp.Combine("imported"));

        using var generator = new Generator(5);
        using var latents = randn([2, 4, 8, 8], generator: generator);
        using var a = original.Decode(latents);
        using var b = imported.Decode(latents);

        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
    }

    [Fact]
    public void WeightsOfAnotherKindAreRefusedNamingTheFileAndTheTensor()
    {
        using var temp = new TempDirectory();
        var image = temp.Combine("image.safetensors");
        Assert.Equal(0, LumaProcess.InProcess("weights", "export", codecs.Image, "--out", image).ExitCode);
        Assert.Equal(0, LumaProcess.InProcess("weights", "export", codecs.Video, "--out", temp.Combine("video.safetensors")).ExitCode);
        // The image VAE's tensors under the video VAE's description: what a mislabelled file looks like.
        var mislabelled = temp.Combine("mislabelled.safetensors");
        var videoMetadata = ExportedWeights.Read(temp.Combine("video.safetensors")).Metadata;
        var (vae, _) = CodecStore.LoadImageVae(codecs.Image);
        SafetensorsFile.Write(mislabelled, TensorTransfer.Exported(vae), videoMetadata);

        var wrongKind = LumaProcess.InProcess("weights", "import", mislabelled, "--out", temp.Combine("a"));
        var codecWithSet = LumaProcess.InProcess("weights", "import", image, "--out", temp.Combine("b"), "--set", "model.dim=8");
        var rawCodec = LumaProcess.InProcess("weights", "export", codecs.Image, "--raw", "--out", temp.Combine("c.safetensors"));

        Assert.Equal(1, wrongKind.ExitCode);
        Assert.Matches($"{Regex(mislabelled)}( has no tensor '|: tensor ')[a-z_.0-9]+'", wrongKind.Error);
        Assert.Contains("the video-vae its codec_info describes", wrongKind.Error, StringComparison.Ordinal);
        Assert.Equal(2, codecWithSet.ExitCode);
        Assert.Contains("holds image-vae weights", codecWithSet.Error, StringComparison.Ordinal);
        Assert.Equal(2, rawCodec.ExitCode);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
