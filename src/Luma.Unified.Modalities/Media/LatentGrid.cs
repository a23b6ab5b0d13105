using Luma.Unified.Abstractions;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Media;

/// <summary>Latent grids <c>[z, ...spatial]</c> ↔ <see cref="ModalityInput"/> positions: one per grid cell, with its coordinates.</summary>
public static class LatentGrid
{
    /// <summary>latents <c>[z, d1, …, dk]</c> → k-D coordinates and a z-vector per cell, cells in row-major order.</summary>
    public static ModalityInput ToInput(Tensor latents)
    {
        using var scope = NewDisposeScope();
        var z = (int)latents.shape[0];
        var cells = latents.reshape(z, -1).t().contiguous();                 // [n, z]
        var dims = latents.shape.Skip(1).Select(d => (int)d).ToArray();
        var n = dims.Aggregate(1, (a, b) => a * b);
        var coordinates = new int[n * dims.Length];
        for (var i = 0; i < n; i++)
        {
            var rest = i;
            for (var k = dims.Length - 1; k >= 0; k--)
            {
                coordinates[i * dims.Length + k] = rest % dims[k];
                rest /= dims[k];
            }
        }
        return new ModalityInput { Latents = cells.data<float>().ToArray(), LatentDim = z, Coordinates = coordinates, CoordinateRank = dims.Length };
    }

    /// <summary>The grid back: <c>[z, d1, …, dk]</c> with each di = max coordinate + 1.</summary>
    public static Tensor FromInput(ModalityInput input)
    {
        var (latents, coordinates) = (input.Latents ?? throw new ArgumentException("latents expected", nameof(input)), input.Coordinates!);
        var rank = input.CoordinateRank;
        var dims = Enumerable.Range(0, rank).Select(k => (long)Enumerable.Range(0, input.Length).Max(i => coordinates[i * rank + k]) + 1).ToArray();
        using var scope = NewDisposeScope();
        var cells = tensor(latents, [input.Length, input.LatentDim]);         // [n, z], row-major cells
        return cells.t().reshape([input.LatentDim, .. dims]).MoveToOuterDisposeScope();
    }
}
