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
        new CodecPlugin("image", (path, patch) =>
        {
            var (vae, info) = CodecStore.LoadImageVae(path);
            var image = new ImageModality(vae, info, patch);
            CheckPatch("image", path, patch, image.LatentSide);
            return image;
        }),
        new CodecPlugin("video", (path, patch) =>
        {
            var (vae, info) = CodecStore.LoadVideoVae(path);
            var video = new VideoModality(vae, info, patch);
            CheckPatch("video", path, patch, video.LatentSide);
            return video;
        }),
        new CodecPlugin("audio", (path, patch) =>
        {
            if (patch != 1)
            {
                throw new ArgumentException($"modalities.options.audio.patch is {patch}: audio codes have no latent grid to group, so only 1 is allowed.");
            }
            var (codec, info) = CodecStore.LoadAudioCodec(path);
            return new AudioModality(codec, info);
        }),
    ];

    private static void CheckPatch(string name, string codec, int patch, int side)
    {
        if (patch < 1 || side % patch != 0)
        {
            throw new ArgumentException($"modalities.options.{name}.patch is {patch}: it must be a positive divisor of the {side} × {side} latent grid of the codec at {codec}.");
        }
    }

    private sealed class CodecPlugin(string name, Func<string, int, IModality> create) : IModalityPlugin
    {
        public string Name => name;

        public Type OptionsType => typeof(CodecModalityOptions);

        public IModality Create(object options)
        {
            var settings = (CodecModalityOptions)options;
            if (string.IsNullOrWhiteSpace(settings.Codec))
            {
                throw new ArgumentException($"the {name} modality needs modalities.options.{name}.codec: the directory of a saved {name} codec (`luma codec train`).");
            }
            return create(settings.Codec, settings.Patch);
        }
    }
}
