namespace Luma.Unified.Training;

/// <summary>How a training run ended.</summary>
/// <param name="StepsDone">Optimizer steps completed (all of them unless the run was stopped early).</param>
/// <param name="FirstLoss">Training loss of the first step.</param>
/// <param name="FinalLoss">Mean training loss over the last logging window.</param>
/// <param name="FinalValidationLoss">Held-out loss at the end, if validation is enabled.</param>
/// <param name="LastCheckpoint">Directory of the checkpoint written last.</param>
/// <param name="Stopped">True when a stop request ended the run before its last step.</param>
/// <param name="SkippedSteps">Steps not applied because their loss or gradient norm was not finite.</param>
public sealed record TrainingResult(int StepsDone, double FirstLoss, double FinalLoss, double? FinalValidationLoss, string LastCheckpoint, bool Stopped, int SkippedSteps);
