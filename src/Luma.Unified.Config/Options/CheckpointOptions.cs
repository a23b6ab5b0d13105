using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>[checkpoint]: when checkpoints are written and how many are kept.</summary>
public sealed record CheckpointOptions
{
    /// <summary>Save every N steps (and always at the end); 0 = only at the end.</summary>
    [Range(0, 100_000_000)]
    public int Every { get; init; } = 100;

    /// <summary>Newest checkpoints kept; older ones are deleted after a successful save.</summary>
    [Range(1, 1_000_000)]
    public int KeepLast { get; init; } = 2;

    /// <summary>Checkpoints whose step is a multiple of N are kept for good, whatever keep_last says; 0 = none.</summary>
    [Range(0, 100_000_000)]
    public int KeepEvery { get; init; }
}
