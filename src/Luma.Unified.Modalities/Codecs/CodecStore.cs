using System.Text.Json;
using Luma.Unified.Modalities.Audio;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Modalities.Video;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Codecs;

/// <summary>
/// Saves and loads codecs as a directory: <c>codec.safetensors</c> (weights, readable by PyTorch),
/// <c>codec.json</c> (<see cref="CodecInfo"/>) and <c>codec.yaml</c> (the resolved training config). Written into
/// a temporary directory and renamed into place; loaded codecs are frozen (eval mode, no gradients).
/// </summary>
public static class CodecStore
{
    private const string Weights = "codec.safetensors";
    private const string InfoFile = "codec.json";
    private const string ConfigFile = "codec.yaml";
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes <paramref name="codec"/> to <paramref name="directory"/>, replacing a codec saved there before.</summary>
    public static void Save(string directory, nn.Module codec, CodecInfo info, string resolvedConfigYaml)
    {
        var full = Path.GetFullPath(directory);
        var temporary = full + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }
        Directory.CreateDirectory(temporary);
        codec.save_safetensors(Path.Combine(temporary, Weights));
        File.WriteAllText(Path.Combine(temporary, InfoFile), JsonSerializer.Serialize(info, s_json));
        File.WriteAllText(Path.Combine(temporary, ConfigFile), resolvedConfigYaml);
        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Directory.Move(temporary, full);
    }

    /// <summary>The image VAE saved in <paramref name="directory"/>, frozen, and its info.</summary>
    public static (ImageVae Vae, CodecInfo Info) LoadImageVae(string directory)
    {
        var info = ReadInfo(directory, "image-vae");
        var vae = new ImageVae(new ImageVaeShape(info.Downsample!.Value, info.LatentChannels, info.BaseChannels)) { ScalingFactor = info.ScalingFactor ?? 1 };
        Freeze(vae, directory);
        return (vae, info);
    }

    /// <summary>The video VAE saved in <paramref name="directory"/>, frozen, and its info.</summary>
    public static (VideoVae Vae, CodecInfo Info) LoadVideoVae(string directory)
    {
        var info = ReadInfo(directory, "video-vae");
        var spatial = new ImageVaeShape(info.Downsample!.Value, info.FrameChannels!.Value, info.BaseChannels);
        var vae = new VideoVae(new VideoVaeShape(spatial, info.TemporalDownsample!.Value, info.LatentChannels)) { ScalingFactor = info.ScalingFactor ?? 1 };
        Freeze(vae, directory);
        return (vae, info);
    }

    /// <summary>The audio codec saved in <paramref name="directory"/>, frozen, and its info.</summary>
    public static (AudioCodec Codec, CodecInfo Info) LoadAudioCodec(string directory)
    {
        var info = ReadInfo(directory, "audio-codec");
        var codec = new AudioCodec(new AudioCodecShape(info.Strides!, info.BaseChannels, info.LatentChannels, info.Codebooks!.Value, info.CodebookSize!.Value));
        Freeze(codec, directory);
        return (codec, info);
    }

    /// <summary>The kind recorded in <c>codec.json</c> of <paramref name="directory"/>.</summary>
    public static string KindOf(string directory) => ReadInfo(directory, expectedKind: null).Kind;

    private static CodecInfo ReadInfo(string directory, string? expectedKind)
    {
        var infoPath = Path.Combine(directory, InfoFile);
        if (!File.Exists(infoPath))
        {
            throw new FileNotFoundException($"{directory} is not a saved codec: {InfoFile} is missing (train one with `luma codec train`).");
        }
        var info = JsonSerializer.Deserialize<CodecInfo>(File.ReadAllText(infoPath), s_json)
            ?? throw new InvalidDataException($"{infoPath} is empty.");
        if (expectedKind is not null && info.Kind != expectedKind)
        {
            throw new InvalidDataException($"{infoPath}: kind '{info.Kind}' is not '{expectedKind}'.");
        }
        return info;
    }

    private static void Freeze(nn.Module codec, string directory)
    {
        codec.load_safetensors(Path.Combine(directory, Weights), strict: true);
        codec.eval();
        foreach (var parameter in codec.parameters())
        {
            parameter.requires_grad = false;
        }
    }
}
