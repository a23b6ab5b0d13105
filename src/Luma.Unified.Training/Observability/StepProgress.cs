namespace Luma.Unified.Training.Observability;

/// <summary>Where a run is after an optimizer step, for live displays (the progress bar of <c>luma train</c>).</summary>
/// <param name="Step">Steps done (1-based; a resumed run starts at its checkpoint's step).</param>
/// <param name="Steps">Steps the run trains to (<c>train.steps</c>).</param>
/// <param name="Loss">This step's loss (NaN or ∞ for a skipped step).</param>
public sealed record StepProgress(int Step, int Steps, double Loss);
