namespace Luma.Unified.Model.Training;

/// <summary>
/// How a micro-batch's loss sums become the step's loss: each modality's sum is divided by that modality's count
/// over the whole optimizer step (predicted tokens, or noised latent elements), so the step's loss is the same
/// however the step is cut into micro-batches, and weighted by the modality's loss weight.
/// </summary>
public sealed record LossScale(IReadOnlyDictionary<string, double> Counts, IReadOnlyDictionary<string, double> Weights)
{
    /// <summary>Weight of <paramref name="modality"/> (1 unless configured).</summary>
    public double WeightOf(string modality) => Weights.GetValueOrDefault(modality, 1.0);

    /// <summary>The divisor of <paramref name="modality"/>'s sum (at least 1).</summary>
    public double CountOf(string modality) => Math.Max(1, Counts.GetValueOrDefault(modality));

    /// <summary>Counts summed over micro-batches.</summary>
    public static IReadOnlyDictionary<string, double> Sum(IEnumerable<IReadOnlyDictionary<string, double>> counts) =>
        counts.SelectMany(c => c).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
}
