using Luma.Unified.Data.Loading;

namespace Luma.Unified.Training.Stepping;

/// <summary>
/// What one optimizer step trained on: positions per modality (padding apart) and samples per modality — media
/// items for media modalities (an item is never cut across rows), documents that contributed tokens otherwise.
/// </summary>
public sealed record StepComposition(long Rows, long Positions, IReadOnlyDictionary<string, long> PositionsByModality, IReadOnlyDictionary<string, long> SamplesByModality)
{
    /// <summary>The composition of the rows of every micro-batch of a step.</summary>
    public static StepComposition Of(IEnumerable<IReadOnlyList<PackedRow>> microBatches, Func<string, bool> isMedia)
    {
        var rows = microBatches.SelectMany(m => m).ToList();
        var pieces = rows.SelectMany(r => r.Pieces).ToList();
        var positions = pieces.GroupBy(p => p.Modality).ToDictionary(g => g.Key, g => g.Sum(p => (long)p.Length));
        var samples = pieces.GroupBy(p => p.Modality).ToDictionary(
            g => g.Key,
            g => isMedia(g.Key) ? g.LongCount() : g.Select(p => p.DocumentId).Distinct().LongCount());
        return new StepComposition(rows.Count, rows.Sum(r => (long)r.Length), positions, samples);
    }
}
