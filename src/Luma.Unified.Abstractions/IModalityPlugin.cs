namespace Luma.Unified.Abstractions;

/// <summary>
/// The entry point of a modality — built in, or in a plugin assembly listed in the config's
/// <c>modalities.plugins</c>. The host binds the YAML section <c>modalities.options.NAME</c> onto a fresh
/// <see cref="OptionsType"/> (its property initializers are the defaults; keys are snake_case) and passes it
/// to <see cref="Create"/>. A plugin assembly needs a public class with a parameterless constructor implementing this.
/// </summary>
public interface IModalityPlugin
{
    /// <summary>The modality's name (the segment kind it handles).</summary>
    string Name { get; }

    /// <summary>Its options record: a class with a parameterless constructor and settable (or init) properties.</summary>
    Type OptionsType { get; }

    /// <summary>The modality, configured by <paramref name="options"/> (an instance of <see cref="OptionsType"/>).</summary>
    IModality Create(object options);
}
