namespace Luma.Unified.Config.Options;

/// <summary>What the trainer does when a step's loss or gradient norm is NaN or infinite (<c>train.on_non_finite</c>).</summary>
public enum NonFinitePolicy
{
    /// <summary>Leave the weights and optimizer state untouched for that step, count it, and go on.</summary>
    Skip,

    /// <summary>Stop the run with an error naming the step and the modality losses that went bad.</summary>
    Halt,
}
