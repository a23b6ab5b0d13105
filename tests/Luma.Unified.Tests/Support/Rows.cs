using Luma.Unified.Abstractions;
using Luma.Unified.Data.Loading;

namespace Luma.Unified.Tests.Support;

/// <summary>Packed rows built by hand: a piece per segment, laid back to back.</summary>
public static class Rows
{
    /// <summary>A token piece of document <paramref name="document"/>.</summary>
    public static PackedPiece Tokens(int document, params int[] tokens) => new("text", 0, tokens.Length, document, $"doc{document}", tokens, null);

    /// <summary>An image piece: a <paramref name="side"/>×<paramref name="side"/> grid of <paramref name="channels"/>-channel latents (values from <paramref name="seed"/>).</summary>
    public static PackedPiece Image(int document, int side, int channels, int seed = 1) =>
        Media("image", document, Grid(side, side, 1, channels, seed, rank: 2));

    /// <summary>A video piece: <paramref name="frames"/> latent frames of <paramref name="side"/>×<paramref name="side"/>.</summary>
    public static PackedPiece Video(int document, int frames, int side, int channels, int seed = 1) =>
        Media("video", document, Grid(side, side, frames, channels, seed, rank: 3));

    /// <summary>A row of <paramref name="length"/> positions holding <paramref name="pieces"/> in order (offsets assigned).</summary>
    public static PackedRow Row(int length, params PackedPiece[] pieces)
    {
        var offset = 0;
        var placed = new List<PackedPiece>();
        foreach (var piece in pieces)
        {
            placed.Add(piece with { Offset = offset });
            offset += piece.Length;
        }
        return new PackedRow(length, placed);
    }

    private static PackedPiece Media(string modality, int document, ModalityInput input) =>
        new(modality, 0, input.Length, document, $"doc{document}", null, input);

    private static ModalityInput Grid(int height, int width, int frames, int channels, int seed, int rank)
    {
        var random = new Random(seed);
        var n = frames * height * width;
        var latents = Enumerable.Range(0, n * channels).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var coordinates = new List<int>();
        for (var f = 0; f < frames; f++)
        {
            for (var r = 0; r < height; r++)
            {
                for (var c = 0; c < width; c++)
                {
                    coordinates.AddRange(rank == 3 ? [f, r, c] : [r, c]);
                }
            }
        }
        return new ModalityInput { Latents = latents, LatentDim = channels, Coordinates = [.. coordinates], CoordinateRank = rank };
    }
}
