using System.Text.Json;
using Luma.Unified.Modalities.Image;
using TorchSharp;
using TorchSharp.PyBridge;

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

    /// <summary>Writes <paramref name="vae"/> to <paramref name="directory"/>, replacing a codec saved there before.</summary>
    public static void Save(string directory, ImageVae vae, CodecInfo info, string resolvedConfigYaml)
    {
        var full = Path.GetFullPath(directory);
        var temporary = full + $".tmp-{Environment.ProcessId}";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }
        Directory.CreateDirectory(temporary);
        vae.save_safetensors(Path.Combine(temporary, Weights));
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
        var infoPath = Path.Combine(directory, InfoFile);
        if (!File.Exists(infoPath))
        {
            throw new FileNotFoundException($"{directory} is not a saved codec: {InfoFile} is missing (train one with `luma codec train`).");
        }
        var info = JsonSerializer.Deserialize<CodecInfo>(File.ReadAllText(infoPath), s_json)
            ?? throw new InvalidDataException($"{infoPath} is empty.");
        if (info.Kind != "image-vae")
        {
            throw new InvalidDataException($"{infoPath}: kind '{info.Kind}' is not an image VAE.");
        }
        var vae = new ImageVae(new ImageVaeShape(info.Downsample, info.LatentChannels, info.BaseChannels)) { ScalingFactor = info.ScalingFactor };
        vae.load_safetensors(Path.Combine(directory, Weights), strict: true);
        vae.eval();
        foreach (var parameter in vae.parameters())
        {
            parameter.requires_grad = false;
        }
        return (vae, info);
    }
}
