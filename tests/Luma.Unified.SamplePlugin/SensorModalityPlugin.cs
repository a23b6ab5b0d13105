using Luma.Unified.Abstractions;

namespace Luma.Unified.SamplePlugin;

/// <summary>The plugin's entry point: the host finds it by its interface and binds modalities.options.sensor onto <see cref="SensorOptions"/>.</summary>
public sealed class SensorModalityPlugin : IModalityPlugin
{
    /// <inheritdoc/>
    public string Name => SensorModality.Kind;

    /// <inheritdoc/>
    public Type OptionsType => typeof(SensorOptions);

    /// <inheritdoc/>
    public IModality Create(object options) => new SensorModality((SensorOptions)options);
}
