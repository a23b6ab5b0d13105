namespace Luma.Unified.Abstractions;

/// <summary>
/// A segment as the backbone reads it: <see cref="Length"/> sequence positions, each either a token id of the
/// modality's own vocabulary (autoregressive modalities) or a latent vector with its coordinates (diffusion
/// modalities, e.g. (row, column) of an image patch). Flattened arrays keep the seam free of tensor types.
/// </summary>
public sealed record ModalityInput
{
    /// <summary>Token ids in [0, vocabulary size) — autoregressive modalities.</summary>
    public IReadOnlyList<int>? Tokens { get; init; }

    /// <summary>Latents <c>[length, LatentDim]</c>, row-major — diffusion modalities.</summary>
    public float[]? Latents { get; init; }

    /// <summary>Width of one latent vector.</summary>
    public int LatentDim { get; init; }

    /// <summary>Coordinates <c>[length, CoordinateRank]</c> of each latent (e.g. 2 for images, 3 for video).</summary>
    public int[]? Coordinates { get; init; }

    /// <summary>Coordinates per position.</summary>
    public int CoordinateRank { get; init; }

    /// <summary>Sequence positions the segment takes.</summary>
    public int Length => Tokens?.Count ?? (LatentDim == 0 || Latents is null ? 0 : Latents.Length / LatentDim);

    /// <summary>An autoregressive input.</summary>
    public static ModalityInput FromTokens(IReadOnlyList<int> tokens) => new() { Tokens = tokens };
}
