using static TorchSharp.torch;

namespace Luma.Unified.Heads;

/// <summary>
/// A training loss and its parts: <see cref="Total"/> is what backward runs on; <see cref="Parts"/> are the
/// per-modality terms ("text", later "image", "audio", ...) that are logged separately.
/// </summary>
public sealed record LossBreakdown(Tensor Total, IReadOnlyDictionary<string, Tensor> Parts) : IDisposable
{
    /// <summary>The parts as plain numbers, for logs and metrics.</summary>
    public IReadOnlyDictionary<string, double> PartValues() =>
        Parts.ToDictionary(p => p.Key, p => p.Value.detach().to(ScalarType.Float64).item<double>());

    /// <inheritdoc/>
    public void Dispose()
    {
        Total.Dispose();
        foreach (var part in Parts.Values)
        {
            part.Dispose();
        }
    }
}
