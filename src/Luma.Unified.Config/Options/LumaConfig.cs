namespace Luma.Unified.Config.Options;

/// <summary>
/// A whole run's configuration. Each section mirrors a YAML section of the same snake_case name;
/// property initializers are the defaults, and this tree is the only place they are written down.
/// </summary>
public sealed record LumaConfig
{
    public RunOptions Run { get; init; } = new();

    public DataOptions Data { get; init; } = new();

    public ModelOptions Model { get; init; } = new();

    public DiffusionOptions Diffusion { get; init; } = new();

    public TrainOptions Train { get; init; } = new();

    public CheckpointOptions Checkpoint { get; init; } = new();

    public ModalitiesOptions Modalities { get; init; } = new();
}
