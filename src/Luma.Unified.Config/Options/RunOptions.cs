using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>[run]: identity, seed and the hardware a run uses.</summary>
public sealed record RunOptions
{
    /// <summary>Name shown in logs and used for the default run directory (runs/NAME).</summary>
    [Required]
    public string Name { get; init; } = "run";

    /// <summary>Seed of weights, data order and sampling.</summary>
    [Range(0L, long.MaxValue)]
    public long Seed { get; init; } = 1234;

    /// <summary>auto (CUDA if usable, else CPU), cpu or cuda.</summary>
    public DeviceRequest Device { get; init; } = DeviceRequest.Auto;

    /// <summary>Intra-op threads; 0 = this node's cores divided by its ranks.</summary>
    [Range(0, 1024)]
    public int Threads { get; init; }
}
