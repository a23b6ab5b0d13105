using System.Buffers.Binary;
using System.Text.Json;
using Luma.Unified.Abstractions;

namespace Luma.Unified.Data.Media;

/// <summary>
/// Media already run through a codec (<c>luma data encode</c>): continuous latents (image/video VAE) or discrete
/// codes (audio codec), with their shape. Stored as segment encodings <c>latents-f32</c> (little-endian float32)
/// and <c>codes-i16</c> (little-endian int16), the shape and codec in the segment's <c>extra</c> JSON, so training
/// need not run the encoders every step.
/// </summary>
public sealed record EncodedMedia(string Kind, IReadOnlyList<int> Shape, float[]? Latents, int[]? Codes)
{
    /// <summary>Encoding name of latents.</summary>
    public const string LatentEncoding = "latents-f32";

    /// <summary>Encoding name of codes.</summary>
    public const string CodeEncoding = "codes-i16";

    /// <summary>The stored segment of <paramref name="modality"/> holding this.</summary>
    public SegmentRecord ToSegment(string modality, string codec, double? scalingFactor)
    {
        byte[] data;
        if (Latents is { } latents)
        {
            data = new byte[latents.Length * 4];
            for (var i = 0; i < latents.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), latents[i]);
            }
        }
        else
        {
            var codes = Codes!;
            data = new byte[codes.Length * 2];
            for (var i = 0; i < codes.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), checked((short)codes[i]));
            }
        }
        var extra = JsonSerializer.Serialize(new Dictionary<string, object?> { ["shape"] = Shape, ["codec"] = codec, ["scaling_factor"] = scalingFactor });
        return new SegmentRecord { Modality = modality, Data = data, Encoding = Latents is null ? CodeEncoding : LatentEncoding, Extra = extra };
    }

    /// <summary>Reads a <c>latents-f32</c> or <c>codes-i16</c> segment; a length that does not match its shape is an error.</summary>
    public static EncodedMedia FromSegment(SegmentRecord segment)
    {
        int[] shape;
        try
        {
            shape = JsonDocument.Parse(segment.Extra ?? "{}").RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{segment.Encoding} segment without a valid \"shape\" in extra ({e.Message})");
        }
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var width = segment.Encoding == LatentEncoding ? 4 : 2;
        var data = segment.Data ?? [];
        if (count * width != data.Length)
        {
            throw new InvalidDataException($"{segment.Encoding} data holds {data.Length} bytes, its shape [{string.Join(", ", shape)}] needs {count * width}");
        }
        if (segment.Encoding == LatentEncoding)
        {
            var values = new float[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 4));
            }
            return new EncodedMedia(segment.Modality, shape, values, null);
        }
        var codes = new int[count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(i * 2));
        }
        return new EncodedMedia(segment.Modality, shape, null, codes);
    }

    /// <summary>Sequence positions: one per latent position (everything after the channel axis), or one per code.</summary>
    public int Positions => Latents is not null ? Shape.Skip(1).Aggregate(1, (a, b) => a * b) : Shape.Aggregate(1, (a, b) => a * b);
}
