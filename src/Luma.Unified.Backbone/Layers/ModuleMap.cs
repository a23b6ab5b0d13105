using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Layers;

/// <summary>
/// Submodules by name, registered under that name (state-dict keys <c>field.name.…</c>, as a <c>ModuleDict</c> gives).
/// <para>
/// TorchSharp 0.107's <c>ModuleDict</c> cannot be moved or cast: <c>Module.to</c> indexes the container's properties
/// by name, and its two indexers are both called <c>Item</c>, so every move to CUDA threw. This map has one indexer.
/// </para>
/// </summary>
public sealed class ModuleMap<T> : nn.Module where T : nn.Module
{
    private readonly Dictionary<string, T> _modules = [];

    public ModuleMap() : base(nameof(ModuleMap<T>))
    {
    }

    /// <summary>The module registered as <paramref name="name"/>.</summary>
    public T this[string name] => _modules.TryGetValue(name, out var module)
        ? module
        : throw new KeyNotFoundException($"No module is registered as '{name}' (registered: {string.Join(", ", _modules.Keys)}).");

    /// <summary>Registers <paramref name="module"/> as <paramref name="name"/>.</summary>
    public void Add(string name, T module)
    {
        _modules.Add(name, module);
        register_module(name, module);
    }
}
