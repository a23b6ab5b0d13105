using static TorchSharp.torch;

namespace Luma.Unified.Data.Media;

/// <summary><see cref="RgbImage"/>s ↔ float tensors <c>[n, 3, side, side]</c> in [-1, 1], the range image codecs work in.</summary>
public static class ImageTensors
{
    /// <summary>Stacks <paramref name="images"/>, resized (bilinear, antialiased) to <paramref name="side"/>² where needed.</summary>
    public static Tensor Stack(IReadOnlyList<RgbImage> images, int side)
    {
        using var scope = NewDisposeScope();
        var tensors = images.Select(image =>
        {
            var t = tensor(image.Pixels, [image.Height, image.Width, 3]).permute(2, 0, 1).to(ScalarType.Float32).unsqueeze(0);
            if (image.Width != side || image.Height != side)
            {
                t = nn.functional.interpolate(t, [side, side], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
            }
            return t;
        }).ToList();
        return (cat(tensors, dim: 0) / 127.5 - 1).MoveToOuterDisposeScope();
    }

    /// <summary>One image of <paramref name="batch"/> <c>[n, 3, h, w]</c> (values clamped to [-1, 1]) as 8-bit RGB.</summary>
    public static RgbImage ToImage(Tensor batch, int index)
    {
        using var scope = NewDisposeScope();
        var pixels = ((batch[index].clamp(-1, 1) + 1) * 127.5).round().to(ScalarType.Byte).permute(1, 2, 0).contiguous();
        return new RgbImage((int)batch.shape[3], (int)batch.shape[2], pixels.data<byte>().ToArray());
    }

    /// <summary>Peak signal-to-noise ratio in dB between two batches in [-1, 1], measured on the [0, 1] scale.</summary>
    public static double Psnr(Tensor reconstruction, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var mse = ((reconstruction.clamp(-1, 1) - reference) / 2).pow(2).mean().item<float>();
        return 10 * Math.Log10(1.0 / Math.Max(mse, 1e-12));
    }
}
