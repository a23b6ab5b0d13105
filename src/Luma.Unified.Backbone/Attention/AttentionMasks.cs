using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Attention;

/// <summary>
/// Boolean attention masks for scaled-dot-product attention (true = may attend). TorchSharp's SDPA refuses
/// a mask together with <c>is_casual</c>, so every mixed pattern is built here explicitly.
/// </summary>
public static class AttentionMasks
{
    /// <summary>
    /// Causal within each packed document, nothing across documents.
    /// <paramref name="documentIds"/> <c>[batch, seq]</c> → <c>[batch, 1, seq, seq]</c>.
    /// </summary>
    public static Tensor CausalWithinDocuments(Tensor documentIds)
    {
        using var scope = NewDisposeScope();
        var length = documentIds.shape[1];
        var causal = ones(length, length, dtype: ScalarType.Bool, device: documentIds.device).tril();
        return (Pairwise(documentIds) & causal).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mask of interleaved multimodal documents, <c>[batch, 1, seq, seq]</c>: causal across the sequence,
    /// both ways inside each span (an image, a video frame), nothing across documents; a blind query (a media
    /// segment whose condition is dropped for classifier-free guidance) sees only its own segment and the
    /// document's first position. The first position, unlike any later token, has seen nothing of the condition.
    /// All inputs are <c>[batch, seq]</c>; span and segment ids are -1 outside media.
    /// </summary>
    public static Tensor Multimodal(Tensor documentIds, Tensor spanIds, Tensor segmentIds, Tensor blind, Tensor documentStarts)
    {
        using var scope = NewDisposeScope();
        var length = documentIds.shape[1];
        var sameDocument = Pairwise(documentIds);
        var sameSpan = Pairwise(spanIds) & spanIds.ge(0).unsqueeze(2);
        var sameSegment = Pairwise(segmentIds) & segmentIds.ge(0).unsqueeze(2);
        var causal = ones(length, length, dtype: ScalarType.Bool, device: documentIds.device).tril();
        var sighted = blind.logical_not().unsqueeze(2) | sameSegment | documentStarts.unsqueeze(1);
        return (sameDocument & (causal | sameSpan) & sighted).unsqueeze(1).MoveToOuterDisposeScope();
    }

    private static Tensor Pairwise(Tensor ids) => ids.unsqueeze(2).eq(ids.unsqueeze(1));

    /// <summary>
    /// Causal mask for <paramref name="queries"/> new tokens after <paramref name="past"/> cached ones:
    /// query i sees keys 0 … past + i. <c>[1, 1, queries, past + queries]</c>.
    /// </summary>
    public static Tensor CausalAfterCache(long queries, long past, Device device) =>
        ones(queries, past + queries, dtype: ScalarType.Bool, device: device).tril(past).unsqueeze(0).unsqueeze(0);
}
