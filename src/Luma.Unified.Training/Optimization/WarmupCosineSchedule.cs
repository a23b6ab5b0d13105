namespace Luma.Unified.Training.Optimization;

/// <summary>
/// Linear warm-up from lr/warmup to lr, then cosine decay to min_lr at the last step. A pure function of the
/// step, so resuming needs no scheduler state (TorchSharp's schedulers keep none either).
/// </summary>
public sealed record WarmupCosineSchedule(double PeakLr, double MinLr, int WarmupSteps, int TotalSteps)
{
    /// <summary>Learning rate of the optimizer step with 0-based index <paramref name="step"/>.</summary>
    public double At(int step)
    {
        if (step < WarmupSteps)
        {
            return PeakLr * (step + 1) / WarmupSteps;
        }
        var decaySteps = Math.Max(1, TotalSteps - WarmupSteps - 1);
        var progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return MinLr + 0.5 * (PeakLr - MinLr) * (1 + Math.Cos(Math.PI * progress));
    }
}
