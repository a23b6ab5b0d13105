namespace Luma.Unified.Config.Options;

/// <summary>[modalities]: modality plugins to load and the options of each modality.</summary>
public sealed record ModalitiesOptions
{
    /// <summary>Plugin assemblies (paths to .dll files) whose modality plugins are loaded, in an isolated load context each.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>Per-modality options, <c>options: { NAME: { key: value } }</c>, bound onto each plugin's own options record.</summary>
    public ConfigMapping Options { get; init; } = new([], "defaults");
}
