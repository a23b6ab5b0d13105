using SkiaSharp;

namespace Luma.Unified.Data.Media;

/// <summary>PNG and JPEG ↔ <see cref="RgbImage"/> through SkiaSharp (in-process; no external decoder).</summary>
public static class ImageCodec
{
    /// <summary>Encodes <paramref name="image"/> as PNG (lossless).</summary>
    public static byte[] EncodePng(RgbImage image) => Encode(image, SKEncodedImageFormat.Png, 100);

    /// <summary>Encodes <paramref name="image"/> as JPEG at <paramref name="quality"/> (1–100).</summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 90) => Encode(image, SKEncodedImageFormat.Jpeg, quality);

    /// <summary>Decodes PNG or JPEG bytes; throws <see cref="InvalidDataException"/> when they are not a decodable image.</summary>
    public static RgbImage Decode(byte[] encoded)
    {
        using var stream = new SKMemoryStream(encoded);
        using var codec = SKCodec.Create(stream)
            ?? throw new InvalidDataException($"not a PNG/JPEG image ({encoded.Length} bytes)");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var rgba = new SKBitmap(info);
        // A truncated file decodes "successfully" into a partly grey image unless the result is checked.
        var result = codec.GetPixels(info, rgba.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"image does not decode completely: {result} ({encoded.Length} bytes)");
        }
        var source = rgba.GetPixelSpan();
        var pixels = new byte[rgba.Width * rgba.Height * 3];
        for (int i = 0, j = 0; i < pixels.Length; i += 3, j += 4)
        {
            pixels[i] = source[j];
            pixels[i + 1] = source[j + 1];
            pixels[i + 2] = source[j + 2];
        }
        return new RgbImage(rgba.Width, rgba.Height, pixels);
    }

    /// <summary>The image as an opaque RGBA bitmap that SkiaSharp can draw on or encode.</summary>
    public static SKBitmap ToBitmap(RgbImage image)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = image.Pixels[i];
            rgba[j + 1] = image.Pixels[i + 1];
            rgba[j + 2] = image.Pixels[i + 2];
            rgba[j + 3] = 255;
        }
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    /// <summary>Encodes a bitmap drawn with SkiaSharp as PNG.</summary>
    public static byte[] EncodePng(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = ToBitmap(image);
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }
}
