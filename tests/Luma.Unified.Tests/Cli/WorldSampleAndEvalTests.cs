using System.Text.Json;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

/// <summary><c>luma sample</c> and <c>luma eval</c> on a checkpoint trained on images, tones and videos together.</summary>
[Collection(TinyWorldCollection.Name)]
public sealed class WorldSampleAndEvalTests(TinyWorldRun trained) : TorchTest
{
    [Fact]
    public void TheWorldRunTrainsEveryMediumsLoss()
    {
        var losses = File.ReadLines(trained.Run.MetricsFile).Select(l => JsonDocument.Parse(l).RootElement).Last();

        foreach (var part in new[] { "loss_text", "loss_image", "loss_audio", "loss_video" })
        {
            Assert.True(losses.TryGetProperty(part, out var value), $"metrics.jsonl has no {part}");
            Assert.True(double.IsFinite(value.GetDouble()) && value.GetDouble() > 0, $"{part} = {value}");
        }
        Assert.Equal(30, trained.Result.StepsDone);
    }

    [Fact]
    public void SampleWritesAWavFileOfTextToAudio()
    {
        using var temp = new TempDirectory();

        var outcome = LumaProcess.InProcess("sample", "--checkpoint", trained.Run.Root, "--task", "audio", "--prompt", "a loud tone of 440 hz for 0.5 seconds.",
            "--max-seconds", "0.3", "--out", temp.Combine("audio"));

        Assert.Equal(0, outcome.ExitCode);
        var summary = JsonDocument.Parse(File.ReadAllText(temp.Combine("audio", "summary.json"))).RootElement;
        var file = summary.GetProperty("samples")[0].GetProperty("files")[0].GetString()!;
        Assert.Equal("audio-000-0-audio.wav", file);
        var clip = WavCodec.Decode(File.ReadAllBytes(temp.Combine("audio", file)));
        Assert.Equal(16_000, clip.SampleRate);
        // Whole codec frames of 160 samples, at most --max-seconds long.
        Assert.InRange(clip.Samples.Length, 160, 0.3 * 16_000);
        Assert.Equal(0, clip.Samples.Length % 160);
        Assert.All(clip.Samples, s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void SampleRollsAVideoOutFromAFirstFrame()
    {
        using var temp = new TempDirectory();
        var first = temp.Combine("first.png");
        File.WriteAllBytes(first, ImageCodec.EncodePng(new ShapeScene("red", "circle", "large", "middle", "center").Render(16)));

        var outcome = LumaProcess.InProcess("sample", "--checkpoint", trained.Run.Root, "--task", "video", "--image", first,
            "--prompt", "a red circle moves left.", "--frames", "5", "--out", temp.Combine("video"));

        Assert.Equal(0, outcome.ExitCode);
        var summary = JsonDocument.Parse(File.ReadAllText(temp.Combine("video", "summary.json"))).RootElement;
        var file = summary.GetProperty("samples")[0].GetProperty("files")[0].GetString()!;
        Assert.Equal("video-000-0-video.frames.png", file);
        // Five 16×16 frames side by side.
        var strip = ImageCodec.Decode(File.ReadAllBytes(temp.Combine("video", file)));
        Assert.Equal((5 * 16, 16), (strip.Width, strip.Height));
    }

    [Fact]
    public void EvalScoresAudioPitchAndVideoDirection()
    {
        using var temp = new TempDirectory();
        var json = temp.Combine("eval.json");

        var outcome = LumaProcess.InProcess("eval", "--checkpoint", trained.Run.Root, "--json", json, "--prompts", "2", "--steps", "2");

        Assert.Equal(0, outcome.ExitCode);
        var scores = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        foreach (var key in new[] { "audio_pitch_accuracy", "video_direction_accuracy", "caption_accuracy", "t2i_color_accuracy" })
        {
            Assert.Equal(JsonValueKind.Number, scores.GetProperty(key).ValueKind);
            Assert.InRange(scores.GetProperty(key).GetDouble(), 0, 1);
            Assert.Contains(key, outcome.Output, StringComparison.Ordinal);
        }
    }
}
