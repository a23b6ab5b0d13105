namespace Luma.Unified.Training.Stepping;

/// <summary>
/// Where training steps spent their time, in seconds, summed over the steps run so far. Subtracting two snapshots
/// gives the split of the steps between them.
/// </summary>
public sealed record StepTimes(double DataWait, double Forward, double Backward, double Collectives, double Optimizer)
{
    public static StepTimes Zero { get; } = new(0, 0, 0, 0, 0);

    /// <summary>All parts together.</summary>
    public double Total => DataWait + Forward + Backward + Collectives + Optimizer;

    public static StepTimes operator -(StepTimes a, StepTimes b) =>
        new(a.DataWait - b.DataWait, a.Forward - b.Forward, a.Backward - b.Backward, a.Collectives - b.Collectives, a.Optimizer - b.Optimizer);

    public static StepTimes operator +(StepTimes a, StepTimes b) =>
        new(a.DataWait + b.DataWait, a.Forward + b.Forward, a.Backward + b.Backward, a.Collectives + b.Collectives, a.Optimizer + b.Optimizer);
}
