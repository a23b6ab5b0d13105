using Luma.Unified.Abstractions;
using Luma.Unified.Modalities.Codecs;

namespace Luma.Unified.Modalities.Media;

/// <summary>
/// The built-in media modalities as <see cref="IModalityPlugin"/>s — the entry point plugins use too. Each is
/// enabled by naming its codec in <c>modalities.options.NAME.codec</c>; the codec is loaded frozen from that path.
/// </summary>
public static class CodecModalityPlugins
{
    /// <summary>image, video and audio.</summary>
    public static IReadOnlyList<IModalityPlugin> All { get; } =
    [
        new CodecPlugin("image", path => { var (vae, info) = CodecStore.LoadImageVae(path); return new ImageModality(vae, info); }),
        new CodecPlugin("video", path => { var (vae, info) = CodecStore.LoadVideoVae(path); return new VideoModality(vae, info); }),
        new CodecPlugin("audio", path => { var (codec, info) = CodecStore.LoadAudioCodec(path); return new AudioModality(codec, info); }),
    ];

    private sealed class CodecPlugin(string name, Func<string, IModality> create) : IModalityPlugin
    {
        public string Name => name;

        public Type OptionsType => typeof(CodecModalityOptions);

        public IModality Create(object options)
        {
            var codec = ((CodecModalityOptions)options).Codec;
            if (string.IsNullOrWhiteSpace(codec))
            {
                throw new ArgumentException($"the {name} modality needs modalities.options.{name}.codec: the directory of a saved {name} codec (`luma codec train`).");
            }
            return create(codec);
        }
    }
}
