using Luma.Unified.Data.Media;

namespace Luma.Unified.Tests.Evaluation;

/// <summary>What a VAE decode does to a clean render, roughly: it blurs edges and adds pixel noise.</summary>
public static class ImageDegradation
{
    /// <summary>Each channel of each pixel plus Gaussian noise of standard deviation <paramref name="sigma"/> levels, clamped to 0–255.</summary>
    public static RgbImage AddNoise(RgbImage image, double sigma, Random random)
    {
        var pixels = new byte[image.Pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            // Box–Muller: one standard normal from two uniforms.
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            pixels[i] = (byte)Math.Clamp(Math.Round(image.Pixels[i] + sigma * normal), 0, 255);
        }
        return image with { Pixels = pixels };
    }

    /// <summary>Each pixel replaced by the mean of its 3×3 neighbourhood (edges clamped).</summary>
    public static RgbImage BoxBlur3(RgbImage image)
    {
        var pixels = new byte[image.Pixels.Length];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var sum = 0;
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            var (nx, ny) = (Math.Clamp(x + dx, 0, image.Width - 1), Math.Clamp(y + dy, 0, image.Height - 1));
                            sum += image.Pixels[(ny * image.Width + nx) * 3 + c];
                        }
                    }
                    pixels[(y * image.Width + x) * 3 + c] = (byte)Math.Round(sum / 9.0);
                }
            }
        }
        return image with { Pixels = pixels };
    }
}
