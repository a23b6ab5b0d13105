using System.Text.Json;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Building;

/// <summary>
/// Packs documents described by a JSONL manifest into a dataset. Each line is
/// <c>{"id": "...", "segments": [{"text": "..."}, {"image": "a.png"}, {"audio": "b.wav"}, {"video": "c.frames.png", "frames": 8, "fps": 8}]}</c>
/// with media paths relative to the manifest. Media are decoded (in parallel) to check them and to fill in
/// their metadata, then stored as the original bytes. Any bad line stops the pack with every problem of its
/// batch listed by line number, and the half-written output is removed.
/// </summary>
public static class JsonlPacker
{
    /// <summary>Packs <paramref name="manifestPath"/> into <paramref name="outDirectory"/> using <paramref name="workers"/> decode threads.</summary>
    public static async Task<DatasetManifest> PackAsync(
        string manifestPath, string outDirectory, long shardBytes, int rowGroupRows, int workers,
        IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"{manifestPath}: manifest not found.");
        }
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var lines = File.ReadLines(manifestPath).Select((text, index) => (Number: index + 1, Text: text)).Where(l => l.Text.Trim().Length > 0);
        var existed = Directory.Exists(outDirectory);
        var writer = new DatasetWriter(outDirectory, shardBytes, rowGroupRows, $"luma data pack {Path.GetFileName(manifestPath)}");
        try
        {
            foreach (var batch in lines.Chunk(rowGroupRows))
            {
                var documents = new DocumentRecord?[batch.Length];
                var problems = new string?[batch.Length];
                Parallel.For(0, batch.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancel }, i =>
                {
                    try
                    {
                        documents[i] = ParseLine(batch[i].Text, baseDirectory);
                    }
                    catch (InvalidDataException e)
                    {
                        problems[i] = $"{manifestPath} line {batch[i].Number}: {e.Message}";
                    }
                });
                var bad = problems.Where(p => p is not null).ToList();
                if (bad.Count > 0)
                {
                    throw new InvalidDataException(string.Join(Environment.NewLine, bad));
                }
                foreach (var (document, line) in documents.Zip(batch))
                {
                    try
                    {
                        await writer.AddAsync(document!, cancel);
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidDataException($"{manifestPath} line {line.Number}: {e.Message}", e);
                    }
                }
                progress?.Report(writer.Documents);
            }
            if (writer.Documents == 0)
            {
                throw new InvalidDataException($"{manifestPath}: no documents (the file has no non-empty lines).");
            }
            return await writer.CompleteAsync(cancel);
        }
        catch
        {
            if (!existed && Directory.Exists(outDirectory))
            {
                Directory.Delete(outDirectory, recursive: true);
            }
            throw;
        }
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
            try
            {
                return modality switch
                {
                    Segments.Image => Image(bytes, relative),
                    Segments.Audio => Audio(bytes, relative),
                    _ => Video(bytes, relative, segment),
                };
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{relative}: {e.Message}");
            }
        }
        throw new InvalidDataException($"a segment needs one of \"text\", \"image\", \"audio\", \"video\"; got {segment.GetRawText()}");
    }

    private static SegmentRecord Image(byte[] bytes, string name)
    {
        var encoding = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) ? "png"
            : bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "jpeg"
            : throw new InvalidDataException($"only PNG and JPEG images are supported ({name} is neither)");
        var image = ImageCodec.Decode(bytes);
        return Segments.EncodedImage(bytes, encoding, image.Width, image.Height);
    }

    private static SegmentRecord Audio(byte[] bytes, string name)
    {
        if (!bytes.AsSpan().StartsWith("RIFF"u8))
        {
            throw new InvalidDataException($"only WAV audio is supported in-process ({name} is not a RIFF/WAV file)");
        }
        var clip = WavCodec.Decode(bytes);
        return new SegmentRecord { Modality = Segments.Audio, Data = bytes, Encoding = "wav", SampleRate = clip.SampleRate, DurationSeconds = clip.DurationSeconds };
    }

    private static SegmentRecord Video(byte[] bytes, string name, JsonElement segment)
    {
        if (!segment.TryGetProperty("frames", out var framesElement) || !framesElement.TryGetInt32(out var frames) ||
            !segment.TryGetProperty("fps", out var fpsElement) || !fpsElement.TryGetDouble(out var fps))
        {
            throw new InvalidDataException($"a {FrameStripCodec.Encoding} video needs \"frames\" and \"fps\" beside its path ({name})");
        }
        var clip = FrameStripCodec.Decode(bytes, frames, fps);
        return new SegmentRecord
        {
            Modality = Segments.Video,
            Data = bytes,
            Encoding = FrameStripCodec.Encoding,
            Width = clip.Width,
            Height = clip.Height,
            Frames = frames,
            Fps = fps,
            DurationSeconds = clip.DurationSeconds,
        };
    }
}
