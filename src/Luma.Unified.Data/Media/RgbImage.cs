namespace Luma.Unified.Data.Media;

/// <summary>An 8-bit RGB image, pixels row-major <c>[height, width, 3]</c>.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>A black image of the given size.</summary>
    public static RgbImage Blank(int width, int height) => new(width, height, new byte[width * height * 3]);

    /// <summary>The (r, g, b) of pixel (x, y).</summary>
    public (byte R, byte G, byte B) At(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }
}
