using Luma.Unified.Model;
using Luma.Unified.Runtime.Performance;
using Luma.Unified.Training.Benchmarking;
using Luma.Unified.Training.Stepping;

namespace Luma.Unified.Training.Observability;

/// <summary>
/// Model FLOPs utilisation of a training run, for its metrics: the model FLOPs of the positions trained since the
/// last reading (<see cref="ModelFlops"/>, per modality), per second, over this device's matmul peak measured at
/// start-up. The peak comes from square matmuls of 1024 and 2048 only, so the run starts within a second; `luma
/// bench` measures up to 4096 and is the figure to quote.
/// </summary>
public sealed class UtilisationMeter(UnifiedModel model, int sequenceLength, MatmulPeak peak)
{
    private readonly Dictionary<string, double> _flopsPerPosition = new();
    private double _flops;

    /// <summary>The matmul peak MFU is measured against.</summary>
    public MatmulPeak Peak => peak;

    /// <summary>Counts one step's positions.</summary>
    public void Add(StepComposition step)
    {
        foreach (var (modality, positions) in step.PositionsByModality)
        {
            if (!_flopsPerPosition.TryGetValue(modality, out var flops))
            {
                flops = _flopsPerPosition[modality] = ModelFlops.PerPosition(model, [modality], sequenceLength)[modality];
            }
            _flops += positions * flops;
        }
    }

    /// <summary>MFU of the steps counted since the last call, which took <paramref name="seconds"/>; starts a new count.</summary>
    public double TakeMfu(double seconds)
    {
        var mfu = _flops / seconds / (peak.Gflops * 1e9);
        _flops = 0;
        return mfu;
    }
}
