using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Modalities.Media;
using Luma.Unified.Modalities.Plugins;
using Luma.Unified.Modalities.Text;

namespace Luma.Unified.Training;

/// <summary>
/// The modalities of a run: built-in text (through <c>data.tokenizer</c>) and every modality of the plugin
/// assemblies in <c>modalities.plugins</c>, each configured from <c>modalities.options.NAME</c>. Problems
/// are config errors naming the key: a plugin that does not load, two modalities with one name, options for a
/// modality that is not there, a bad option value.
/// </summary>
public static class ModalitySet
{
    /// <summary>Text first, then the plugins' modalities in the order their assemblies are listed.</summary>
    public static IReadOnlyList<IModality> Build(LoadedConfig config, ITokenizer tokenizer)
    {
        var settings = config.Options.Modalities;
        var modalities = new List<IModality> { new TextModality(tokenizer) };
        var plugins = new List<IModalityPlugin>();
        for (var i = 0; i < settings.Plugins.Count; i++)
        {
            var key = $"modalities.plugins[{i}]";
            IReadOnlyList<IModalityPlugin> loaded;
            try
            {
                loaded = ModalityPluginLoader.Load(settings.Plugins[i]);
            }
            catch (PluginLoadException e)
            {
                throw ConfigException.At(config.SourceOf("modalities.plugins"), key, settings.Plugins[i], e.Message);
            }
            foreach (var plugin in loaded)
            {
                if (modalities.Any(m => m.Name == plugin.Name) || plugins.Any(p => p.Name == plugin.Name))
                {
                    throw ConfigException.At(config.SourceOf("modalities.plugins"), key, settings.Plugins[i], $"provides modality '{plugin.Name}', which is already provided.");
                }
                plugins.Add(plugin);
            }
        }
        // The built-in media modalities join when their options (the codec path) are given.
        plugins.AddRange(CodecModalityPlugins.All.Where(p => settings.Options.Get(p.Name) is not null && !plugins.Any(q => q.Name == p.Name)));
        foreach (var (name, section) in settings.Options.Entries)
        {
            if (!plugins.Any(p => p.Name == name))
            {
                var loaded = string.Join(", ", plugins.Select(p => p.Name).DefaultIfEmpty("none"));
                throw ConfigException.At(section.Source, $"modalities.options.{name}", null, $"no plugin modality is named '{name}' (loaded: {loaded}; built in: image, video, audio).");
            }
        }
        foreach (var plugin in plugins)
        {
            var section = settings.Options.Get(plugin.Name) as ConfigMapping ?? new ConfigMapping([], "defaults");
            var options = ConfigBinder.BindSection(plugin.OptionsType, section, $"modalities.options.{plugin.Name}.");
            try
            {
                modalities.Add(plugin.Create(options));
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException)
            {
                throw ConfigException.At(section.Source, $"modalities.options.{plugin.Name}", null, e.Message);
            }
        }
        return modalities;
    }
}
