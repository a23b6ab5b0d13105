namespace Luma.Unified.SamplePlugin;

/// <summary>modalities.options.sensor: how readings are quantised into tokens.</summary>
public sealed record SensorOptions
{
    /// <summary>Quantisation bins, i.e. the modality's vocabulary size.</summary>
    public int Bins { get; init; } = 64;

    /// <summary>Lowest reading represented; lower ones are clipped.</summary>
    public double Min { get; init; } = -1;

    /// <summary>Highest reading represented; higher ones are clipped.</summary>
    public double Max { get; init; } = 1;
}
