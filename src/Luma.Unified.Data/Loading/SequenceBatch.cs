using static TorchSharp.torch;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// One micro-batch of packed rows, as the unified model reads it. Every <c>[batch, seq]</c> tensor is indexed by
/// row and position. Documents are packed back to back; <see cref="DocumentIds"/> tells which positions belong
/// together so that attention never crosses a document boundary. Token positions carry ids in
/// <see cref="Inputs"/>; media positions carry latents in <see cref="Media"/> (their <see cref="Inputs"/> entry is
/// unused).
/// </summary>
/// <param name="Inputs">Token ids <c>[batch, seq]</c> fed to the model (0 at media positions).</param>
/// <param name="Targets">The next token of each input position, or -100 where there is none to predict.</param>
/// <param name="Positions">Multimodal rotary positions <c>[batch, seq, 3]</c> (temporal, row, column), restarting at each document; a token has three equal coordinates.</param>
/// <param name="DocumentIds">Equal values mark positions of the same document within a row; padding has ids of its own.</param>
/// <param name="SpanIds">Positions with the same non-negative id attend to each other both ways (an image, a video frame); -1 elsewhere.</param>
/// <param name="SegmentIds">Positions with the same non-negative id are one media segment (all frames of a video); -1 elsewhere.</param>
/// <param name="Blind">Media positions whose condition is dropped (classifier-free guidance): they see their own segment and the document's first position only.</param>
/// <param name="DocumentStarts">The first position of each document in its row.</param>
/// <param name="Media">Latents of each continuous modality present.</param>
/// <param name="Documents">Ids of the documents that contributed (for logs and bad-batch reports).</param>
public sealed record SequenceBatch(
    Tensor Inputs, Tensor Targets, Tensor Positions, Tensor DocumentIds, Tensor SpanIds, Tensor SegmentIds, Tensor Blind, Tensor DocumentStarts,
    IReadOnlyList<MediaLatents> Media, IReadOnlyList<string> Documents) : IDisposable
{
    /// <summary>Rows in the batch.</summary>
    public long Rows => Inputs.shape[0];

    /// <summary>Positions per row.</summary>
    public long Length => Inputs.shape[1];

    /// <summary>Positions in the batch (data and padding).</summary>
    public long TokenCount => Inputs.numel();

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in new[] { Inputs, Targets, Positions, DocumentIds, SpanIds, SegmentIds, Blind, DocumentStarts })
        {
            tensor.Dispose();
        }
        foreach (var media in Media)
        {
            media.Dispose();
        }
    }
}

/// <summary>
/// The latent positions of one continuous modality in a batch. A noise group (an image, or one latent frame of a
/// video — diffusion forcing) shares one noise level; groups that later content is conditioned on may enter clean.
/// </summary>
/// <param name="Modality">The modality, e.g. <c>image</c>.</param>
/// <param name="Latents">Clean latents <c>[m, z]</c>, fp32.</param>
/// <param name="Index">Flat position <c>row · seq + offset</c> of each latent <c>[m]</c>.</param>
/// <param name="Group">Noise group of each latent <c>[m]</c>, in 0 … groups − 1.</param>
/// <param name="Noised">Per group <c>[groups]</c>: true = noised and trained to denoise; false = clean condition, no loss.</param>
public sealed record MediaLatents(string Modality, Tensor Latents, Tensor Index, Tensor Group, Tensor Noised) : IDisposable
{
    /// <summary>Latent positions.</summary>
    public long Count => Latents.shape[0];

    /// <summary>Channels per latent.</summary>
    public long Channels => Latents.shape[1];

    /// <summary>Noise groups.</summary>
    public long Groups => Noised.shape[0];

    /// <inheritdoc/>
    public void Dispose()
    {
        Latents.Dispose();
        Index.Dispose();
        Group.Dispose();
        Noised.Dispose();
    }
}
