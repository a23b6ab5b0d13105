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
        File.WriteAllText(Path.Combine(temporary, InfoFile), ToJson(info));
        File.WriteAllText(Path.Combine(temporary, ConfigFile), resolvedConfigYaml);
        if (Directory.Exists(full))
        {
            Directory.Delete(full, recursive: true);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Directory.Move(temporary, full);
    }

    /// <summary>The image VAE saved in <paramref name="directory"/>, frozen, and its info.</summary>
    public static (ImageVae Vae, CodecInfo Info) LoadImageVae(string directory) => Load<ImageVae>(directory, "image-vae");

    /// <summary>The video VAE saved in <paramref name="directory"/>, frozen, and its info.</summary>
    public static (VideoVae Vae, CodecInfo Info) LoadVideoVae(string directory) => Load<VideoVae>(directory, "video-vae");

    /// <summary>The audio codec saved in <paramref name="directory"/>, frozen, and its info.</summary>
    public static (AudioCodec Codec, CodecInfo Info) LoadAudioCodec(string directory) => Load<AudioCodec>(directory, "audio-codec");

    /// <summary>The codec of any kind saved in <paramref name="directory"/>, frozen, and its info.</summary>
    public static (nn.Module Codec, CodecInfo Info) Load(string directory) => Load<nn.Module>(directory, expectedKind: null);

    /// <summary>A codec of <paramref name="info"/>'s kind and shape with fresh weights (what loading fills in).</summary>
    public static nn.Module Build(CodecInfo info) => info.Kind switch
    {
        "image-vae" => new ImageVae(new ImageVaeShape(info.Downsample!.Value, info.LatentChannels, info.BaseChannels)) { ScalingFactor = info.ScalingFactor ?? 1 },
        "video-vae" => new VideoVae(new VideoVaeShape(new ImageVaeShape(info.Downsample!.Value, info.FrameChannels!.Value, info.BaseChannels), info.TemporalDownsample!.Value, info.LatentChannels))
        {
            ScalingFactor = info.ScalingFactor ?? 1,
        },
        "audio-codec" => new AudioCodec(new AudioCodecShape(info.Strides!, info.BaseChannels, info.LatentChannels, info.Codebooks!.Value, info.CodebookSize!.Value)),
        _ => throw new InvalidDataException($"codec kind '{info.Kind}' is not image-vae, video-vae or audio-codec."),
    };

    /// <summary>Whether <paramref name="directory"/> holds a saved codec (it has a <c>codec.json</c>).</summary>
    public static bool IsCodec(string directory) => File.Exists(Path.Combine(directory, InfoFile));

    /// <summary>The kind recorded in <c>codec.json</c> of <paramref name="directory"/>.</summary>
    public static string KindOf(string directory) => ReadInfo(directory, expectedKind: null).Kind;

    /// <summary>The resolved training config saved beside the codec in <paramref name="directory"/>.</summary>
    public static string ConfigOf(string directory) => File.ReadAllText(Path.Combine(directory, ConfigFile));

    /// <summary><paramref name="info"/> as <c>codec.json</c> holds it.</summary>
    public static string ToJson(CodecInfo info) => JsonSerializer.Serialize(info, s_json);

    /// <summary>A <c>codec.json</c> text read back; <paramref name="source"/> names where it came from in errors.</summary>
    public static CodecInfo FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<CodecInfo>(json, s_json) ?? throw new InvalidDataException($"{source} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a codec description ({e.Message}).");
        }
    }

    private static (T Codec, CodecInfo Info) Load<T>(string directory, string? expectedKind) where T : nn.Module
    {
        var info = ReadInfo(directory, expectedKind);
        var codec = (T)Build(info);
        Freeze(codec, directory);
        return (codec, info);
    }

    private static CodecInfo ReadInfo(string directory, string? expectedKind)
    {
        var infoPath = Path.Combine(directory, InfoFile);
        if (!File.Exists(infoPath))
        {
            throw new FileNotFoundException($"{directory} is not a saved codec: {InfoFile} is missing (train one with `luma codec train`).");
        }
        var info = FromJson(File.ReadAllText(infoPath), infoPath);
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
