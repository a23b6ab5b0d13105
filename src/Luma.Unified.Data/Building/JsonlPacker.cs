using System.Text.Json;
using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Building;

/// <summary>
/// Packs documents described by a JSONL manifest into a dataset. Each line is
/// <c>{"id": "...", "segments": [{"text": "..."}, {"image": "a.png"}, {"audio": "b.wav"}, {"video": "c.mp4"}]}</c>
/// (a PNG frame strip is a video too: <c>{"video": "c.frames.png", "frames": 8, "fps": 8}</c>)
/// with media paths relative to the manifest. Media are decoded (in parallel) to check them and to fill in
/// their metadata, then stored as the original bytes (see <see cref="DatasetPacker"/> for errors).
/// </summary>
public static class JsonlPacker
{
    /// <summary>Packs <paramref name="manifestPath"/> into <paramref name="outDirectory"/> using <paramref name="workers"/> decode threads.</summary>
    public static Task<DatasetManifest> PackAsync(
        string manifestPath, string outDirectory, long shardBytes, int rowGroupRows, int workers,
        IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"{manifestPath}: manifest not found.");
        }
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var items = File.ReadLines(manifestPath)
            .Select((text, index) => (Number: index + 1, Text: text))
            .Where(l => l.Text.Trim().Length > 0)
            .Select(l => new PackItem($"{manifestPath} line {l.Number}", () => ParseLine(l.Text, baseDirectory)));
        return DatasetPacker.PackAsync(items, outDirectory, shardBytes, rowGroupRows, workers, $"luma data pack --jsonl {Path.GetFileName(manifestPath)}", progress, cancel);
    }

    /// <summary>One manifest line as a document, media decoded and described.</summary>
    public static DocumentRecord ParseLine(string line, string baseDirectory)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not valid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("expected a JSON object with \"id\" and \"segments\"");
        }
        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? idElement.ToString()
            : throw new InvalidDataException("missing \"id\" (a string or number)");
        if (!root.TryGetProperty("segments", out var segments) || segments.ValueKind != JsonValueKind.Array || segments.GetArrayLength() == 0)
        {
            throw new InvalidDataException($"document '{id}': \"segments\" must be a non-empty array");
        }
        var result = new DocumentRecord { Id = id };
        var index = 0;
        foreach (var segment in segments.EnumerateArray())
        {
            try
            {
                result.Segments.Add(ParseSegment(segment, baseDirectory));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"document '{id}' segment {index}: {e.Message}");
            }
            index++;
        }
        return result;
    }

    private static SegmentRecord ParseSegment(JsonElement segment, string baseDirectory)
    {
        if (segment.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("expected an object such as {\"text\": \"...\"} or {\"image\": \"path.png\"}");
        }
        if (segment.TryGetProperty(Segments.Text, out var text))
        {
            return Segments.OfText(text.GetString() ?? throw new InvalidDataException("\"text\" must be a string"));
        }
        foreach (var modality in new[] { Segments.Image, Segments.Audio, Segments.Video })
        {
            if (!segment.TryGetProperty(modality, out var pathElement))
            {
                continue;
            }
            var relative = pathElement.GetString() ?? throw new InvalidDataException($"\"{modality}\" must be a path");
            var path = Path.GetFullPath(Path.Combine(baseDirectory, relative));
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{modality} file '{relative}' not found (looked for {path})");
            }
            var bytes = File.ReadAllBytes(path);
            return modality switch
            {
                Segments.Image => MediaSegments.Image(bytes, relative),
                Segments.Audio => MediaSegments.Audio(bytes, relative),
                _ => Video(bytes, relative, segment),
            };
        }
        throw new InvalidDataException($"a segment needs one of \"text\", \"image\", \"audio\", \"video\"; got {segment.GetRawText()}");
    }

    private static SegmentRecord Video(byte[] bytes, string name, JsonElement segment)
    {
        var isStrip = segment.TryGetProperty("frames", out var framesElement);
        if (!isStrip)
        {
            return MediaSegments.Video(bytes, name);
        }
        if (!framesElement.TryGetInt32(out var frames) || !segment.TryGetProperty("fps", out var fpsElement) || !fpsElement.TryGetDouble(out var fps))
        {
            throw new InvalidDataException($"a {FrameStripCodec.Encoding} video needs integer \"frames\" and numeric \"fps\" beside its path ({name})");
        }
        return MediaSegments.FrameStrip(bytes, name, frames, fps);
    }
}
