using Luma.Unified.Modalities.Codecs;

namespace Luma.Unified.Training.Weights;

/// <summary>
/// Exports a saved codec (image VAE, video VAE, audio codec) to one safetensors file — its <c>codec.json</c> and
/// training config in the metadata — and imports such a file back into a codec directory the <c>modalities.options.NAME.codec</c>
/// key and <c>luma codec</c> take.
/// </summary>
public static class CodecWeights
{
    /// <summary>Writes the codec saved in <paramref name="directory"/> to <paramref name="file"/>; returns its kind.</summary>
    public static string Export(string directory, string file)
    {
        var (codec, info) = CodecStore.Load(directory);
        using (codec)
        {
            SafetensorsFile.Write(file, TensorTransfer.Exported(codec), new Dictionary<string, string>
            {
                [WeightsMetadata.Format] = WeightsMetadata.FormatVersion,
                [WeightsMetadata.Kind] = info.Kind,
                [WeightsMetadata.CodecInfo] = CodecStore.ToJson(info),
                [WeightsMetadata.Config] = CodecStore.ConfigOf(directory),
                [WeightsMetadata.Source] = Path.GetFullPath(directory),
            });
        }
        return info.Kind;
    }

    /// <summary>Rebuilds the codec <paramref name="file"/> describes, checks and loads its tensors, and saves it to <paramref name="directory"/>.</summary>
    public static void Import(string file, ExportedWeights weights, string directory)
    {
        if (weights.Kind is not ("image-vae" or "video-vae" or "audio-codec"))
        {
            throw new InvalidDataException($"{file}: kind '{weights.Kind}' is none luma imports (unified-model, image-vae, video-vae, audio-codec).");
        }
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"{directory} already exists and is not empty; import into a new directory.");
        }
        var info = CodecStore.FromJson(weights.Require(WeightsMetadata.CodecInfo), $"{file} (metadata '{WeightsMetadata.CodecInfo}')");
        if (info.Kind != weights.Kind)
        {
            throw new InvalidDataException($"{file}: the metadata says kind '{weights.Kind}' but its codec_info describes a '{info.Kind}'.");
        }
        using var codec = CodecStore.Build(info);
        TensorTransfer.Import(codec, file, weights.Tensors, $"the {info.Kind} its codec_info describes");
        CodecStore.Save(directory, codec, info, weights.Require(WeightsMetadata.Config));
    }
}
