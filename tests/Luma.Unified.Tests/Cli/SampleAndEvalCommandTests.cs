using System.Text.Json;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

[Collection(TinyShapesCollection.Name)]
public sealed class SampleAndEvalCommandTests(TinyShapesRun trained) : TorchTest
{
    [Fact]
    public void SampleWritesGeneratedImagesAndASummary()
    {
        using var temp = new TempDirectory();

        var outcome = LumaProcess.InProcess("sample", "--checkpoint", trained.Run.Root, "--task", "image", "--prompt", "a small blue star at the top right.",
            "--count", "2", "--steps", "2", "--out", temp.Combine("samples"));

        Assert.Equal(0, outcome.ExitCode);
        var summary = JsonDocument.Parse(File.ReadAllText(temp.Combine("samples", "summary.json"))).RootElement;
        var files = summary.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("files")[0].GetString()!).ToList();
        Assert.Equal(["image-000-0-image.png", "image-001-0-image.png"], files);
        Assert.Equal(32, ImageCodec.Decode(File.ReadAllBytes(temp.Combine("samples", files[0]))).Width);
        Assert.Equal(2, summary.GetProperty("steps").GetInt32());
        Assert.True(summary.GetProperty("ema").GetBoolean());
    }

    [Fact]
    public void SampleCaptionsAnImageFileAndPrintsTheCaption()
    {
        using var temp = new TempDirectory();
        var png = temp.Combine("in.png");
        File.WriteAllBytes(png, ImageCodec.EncodePng(new ShapeScene("red", "circle", "large", "middle", "center").Render(32)));

        var outcome = LumaProcess.InProcess("sample", "--checkpoint", trained.Run.Root, "--task", "caption", "--image", png, "--temperature", "0",
            "--max-new-tokens", "20", "--out", temp.Combine("captions"));

        Assert.Equal(0, outcome.ExitCode);
        var caption = File.ReadAllText(temp.Combine("captions", "caption-000-0-text.txt")).Trim();
        Assert.Equal(caption, outcome.Output.Trim());
        Assert.NotEmpty(caption);
    }

    [Theory]
    [InlineData(new[] { "--task", "image", "--prompt", "x" }, "--task image writes media: pass --out FOLDER.")]
    [InlineData(new[] { "--task", "painting" }, "--task painting: expected one of text, image, caption, audio, video, interleaved.")]
    [InlineData(new[] { "--task", "caption", "--out", "o" }, "--task caption and --task video need --image FILE.")]
    [InlineData(new[] { "--task", "video", "--image", "in.png", "--out", "o" }, "--task video: this run has no video modality")]
    [InlineData(new[] { "--task", "audio", "--out", "o" }, "--task audio: this run has no audio modality")]
    public void BadSampleRequestsAreUsageErrorsThatSayWhatIsMissing(string[] arguments, string message)
    {
        using var temp = new TempDirectory();
        var args = arguments.Select(a => a == "o" ? temp.Combine("o") : a);

        var outcome = LumaProcess.InProcess(["sample", "--checkpoint", trained.Run.Root, .. args]);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalPrintsATableAndWritesEveryScoreToJson()
    {
        using var temp = new TempDirectory();
        var json = temp.Combine("eval.json");

        var outcome = LumaProcess.InProcess("eval", "--checkpoint", trained.Run.Root, "--json", json, "--prompts", "3", "--steps", "2");

        Assert.Equal(0, outcome.ExitCode);
        var scores = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        // Shares of 3 prompts; the caption score is a share of their 15 attributes.
        foreach (var (key, outOf) in new[] { ("caption_accuracy", 15), ("t2i_color_accuracy", 3), ("t2i_shape_accuracy", 3), ("t2i_position_accuracy", 3),
            ("codec_color_accuracy", 3), ("codec_shape_accuracy", 3), ("codec_position_accuracy", 3) })
        {
            var value = scores.GetProperty(key).GetDouble();
            Assert.InRange(value, 0, 1);
            Assert.Equal(Math.Round(value * outOf), value * outOf, 6);
            Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
        }
        Assert.Equal(JsonValueKind.Null, scores.GetProperty("audio_pitch_accuracy").ValueKind);
        Assert.Equal(JsonValueKind.Null, scores.GetProperty("video_direction_accuracy").ValueKind);
        Assert.Equal(3, scores.GetProperty("prompts").GetInt32());
    }

    [Fact]
    public void EvalWithRawScoresTheOptimizersWeightsInsteadOfTheEma()
    {
        using var temp = new TempDirectory();
        var (ema, raw) = (temp.Combine("ema.json"), temp.Combine("raw.json"));

        var withEma = LumaProcess.InProcess("eval", "--checkpoint", trained.Run.Root, "--json", ema, "--prompts", "1", "--steps", "2");
        var withRaw = LumaProcess.InProcess("eval", "--checkpoint", trained.Run.Root, "--json", raw, "--prompts", "1", "--steps", "2", "--raw");

        Assert.Equal((0, 0), (withEma.ExitCode, withRaw.ExitCode));
        Assert.True(JsonDocument.Parse(File.ReadAllText(ema)).RootElement.GetProperty("ema").GetBoolean());
        Assert.False(JsonDocument.Parse(File.ReadAllText(raw)).RootElement.GetProperty("ema").GetBoolean());
        Assert.Contains(", EMA weights)", withEma.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("EMA weights", withRaw.Error, StringComparison.Ordinal);
    }
}
