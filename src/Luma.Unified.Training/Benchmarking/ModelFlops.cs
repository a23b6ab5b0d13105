using Luma.Unified.Model;

namespace Luma.Unified.Training.Benchmarking;

/// <summary>
/// Model FLOPs of one training position (forward + backward), by modality — the numerator of MFU:
/// <c>6·P_m + 12·L·d·n</c>. <c>P_m</c> is the matmul weights a position of modality m meets
/// (<see cref="UnifiedModel.MatmulParameters"/>; 2 FLOPs per weight forward, 4 backward). The attention term
/// counts QKᵀ and attention·V (2·n·d each forward, ×3 with backward) in each of L layers over the whole row of
/// n positions, because the multimodal mask makes attention compute every score. Recomputation (activation
/// checkpointing) is not model FLOPs and is not counted.
/// </summary>
public static class ModelFlops
{
    /// <summary>FLOPs per position of each modality in <paramref name="modalities"/>, for rows of <paramref name="sequenceLength"/>.</summary>
    public static IReadOnlyDictionary<string, double> PerPosition(UnifiedModel model, IEnumerable<string> modalities, int sequenceLength)
    {
        var shape = model.Backbone.Shape;
        var attention = 12.0 * shape.Layers * shape.Dim * sequenceLength;
        return modalities.Distinct().ToDictionary(m => m, m => 6.0 * model.MatmulParameters(m) + attention);
    }
}
