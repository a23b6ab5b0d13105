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
        var sameDocument = documentIds.unsqueeze(2).eq(documentIds.unsqueeze(1));
        var causal = ones(length, length, dtype: ScalarType.Bool, device: documentIds.device).tril();
        return (sameDocument & causal).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Causal mask for <paramref name="queries"/> new tokens after <paramref name="past"/> cached ones:
    /// query i sees keys 0 … past + i. <c>[1, 1, queries, past + queries]</c>.
    /// </summary>
    public static Tensor CausalAfterCache(long queries, long past, Device device) =>
        ones(queries, past + queries, dtype: ScalarType.Bool, device: device).tril(past).unsqueeze(0).unsqueeze(0);
}
