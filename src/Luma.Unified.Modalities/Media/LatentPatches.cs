using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Media;

/// <summary>
/// Groups p × p neighbouring latent cells into one sequence position (DiT's and Transfusion's patch size over
/// the VAE grid): <c>[z, …, h, w]</c> ↔ <c>[z·p·p, …, h/p, w/p]</c>, leading dimensions (video frames) untouched.
/// Each position then carries a neighbourhood rather than one cell, and an image costs p² times fewer positions.
/// </summary>
public static class LatentPatches
{
    /// <summary><c>[z, …, h, w]</c> → <c>[z·p·p, …, h/p, w/p]</c>; channels ordered (z, row in patch, column in patch).</summary>
    public static Tensor Group(Tensor latents, int patch)
    {
        if (patch == 1)
        {
            return latents.alias();
        }
        var shape = latents.shape;
        var lead = shape[1..^2];
        var (h, w) = (shape[^2], shape[^1]);
        var k = lead.Length;
        var split = latents.reshape([shape[0], .. lead, h / patch, patch, w / patch, patch]);
        long[] order = [0, k + 2, k + 4, .. Enumerable.Range(1, k).Select(i => (long)i), k + 1, k + 3];
        return split.permute(order).reshape([shape[0] * patch * patch, .. lead, h / patch, w / patch]);
    }

    /// <summary>The inverse of <see cref="Group"/>: <c>[z·p·p, …, h, w]</c> → <c>[z, …, h·p, w·p]</c>.</summary>
    public static Tensor Ungroup(Tensor patches, int patch)
    {
        if (patch == 1)
        {
            return patches.alias();
        }
        var shape = patches.shape;
        var lead = shape[1..^2];
        var (h, w) = (shape[^2], shape[^1]);
        var k = lead.Length;
        var split = patches.reshape([shape[0] / (patch * patch), patch, patch, .. lead, h, w]);
        long[] order = [0, .. Enumerable.Range(3, k).Select(i => (long)i), k + 3, 1, k + 4, 2];
        return split.permute(order).reshape([shape[0] / (patch * patch), .. lead, h * patch, w * patch]);
    }
}
