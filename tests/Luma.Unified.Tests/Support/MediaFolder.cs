using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Tests.Support;

/// <summary>Real media files (PNG, JPEG, WAV, PNG frame strip) and a JSONL manifest that lists them.</summary>
public static class MediaFolder
{
    /// <summary>A folder of ordinary media files and captions, as a user would have it.</summary>
    public static string Create(TempDirectory temp, params string[] extraLines)
    {
        var media = Directory.CreateDirectory(temp.Combine("media", "files")).FullName;
        File.WriteAllBytes(Path.Combine(media, "red.png"), ImageCodec.EncodePng(new ShapeScene("red", "circle", "large", "top", "left").Render(48)));
        File.WriteAllBytes(Path.Combine(media, "blue.jpg"), ImageCodec.EncodeJpeg(new ShapeScene("blue", "square", "small", "bottom", "right").Render(40)));
        File.WriteAllBytes(Path.Combine(media, "tone.wav"), WavCodec.Encode(new ToneSpec(330, 0.5, "loud").Render(8000)));
        File.WriteAllBytes(Path.Combine(media, "move.frames.png"), FrameStripCodec.Encode(new MotionSpec("green", "star", "up").Render(24, 4, 4)));
        string[] lines =
        [
            """{"id": "one", "segments": [{"text": "a large red circle at the top left."}, {"image": "files/red.png"}]}""",
            """{"id": 2, "segments": [{"image": "files/blue.jpg"}, {"text": "a small blue square"}, {"audio": "files/tone.wav"}]}""",
            "",
            """{"id": "three", "segments": [{"video": "files/move.frames.png", "frames": 4, "fps": 4}, {"text": "a green star moves up."}]}""",
            .. extraLines,
        ];
        var manifest = temp.Combine("media", "docs.jsonl");
        File.WriteAllLines(manifest, lines);
        return manifest;
    }
}
