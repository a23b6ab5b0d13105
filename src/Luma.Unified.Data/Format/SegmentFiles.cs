using Luma.Unified.Abstractions;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Format;

/// <summary>Stored segments as files a person can open: text as <c>.txt</c>, media in their stored encoding (<c>.png</c>, <c>.wav</c>, <c>.frames.png</c> strips).</summary>
public static class SegmentFiles
{
    /// <summary>Writes <paramref name="segment"/> to <paramref name="stem"/> plus its extension; returns the path.</summary>
    public static async Task<string> WriteAsync(SegmentRecord segment, string stem, CancellationToken cancel = default)
    {
        var (path, bytes) = segment.Modality == Segments.Text
            ? (stem + ".txt", System.Text.Encoding.UTF8.GetBytes((segment.Text ?? "") + "\n"))
            : (stem + "." + Extension(segment.Encoding), segment.Data ?? []);
        await File.WriteAllBytesAsync(path, bytes, cancel);
        return path;
    }

    private static string Extension(string? encoding) => encoding switch
    {
        "jpeg" => "jpg",
        FrameStripCodec.Encoding => "frames.png",
        null => "bin",
        _ => encoding,
    };
}
