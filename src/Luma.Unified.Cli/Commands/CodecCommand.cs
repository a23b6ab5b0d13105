using System.CommandLine;
using System.Globalization;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Runtime;
using Luma.Unified.Training.Codecs;
using Luma.Unified.Training.Observability;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma codec train|encode|decode</c>: train modality codecs and look at what they do.</summary>
public static class CodecCommand
{
    private const string LatentKey = "latents";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("codec", "Train modality codecs (image VAE) and encode/decode media with them.");
        command.Subcommands.Add(Train(output, error));
        command.Subcommands.Add(Encode(output, error));
        command.Subcommands.Add(Decode(output, error));
        return command;
    }

    private static Command Train(TextWriter output, TextWriter error)
    {
        var arguments = new ConfigArguments();
        var outDirectory = new Option<string?>("--out") { Description = "Where the codec is saved (default: runs/codecs/NAME)." };
        var command = new Command("train", "Train a codec from a config (configs/vae-image-*.yaml); reports held-out PSNR and saves weights, config and scaling factor.");
        arguments.AddTo(command);
        command.Options.Add(outDirectory);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var path = parse.GetValue(arguments.ConfigFile)!;
            var (config, _) = ConfigLoader.Load<CodecTrainingConfig>(path, parse.GetValue(arguments.Overrides) ?? []);
            var destination = parse.GetValue(outDirectory) ?? Path.Combine("runs", "codecs", config.Run.Name);
            using var log = RunLogging.Create(jsonLogFile: null);
            var result = new ImageVaeTrainer(config, ConfigWriter.ToYaml(config), path, log).Run(destination);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"codec: {result.Directory}\nheld-out PSNR: {result.InitialPsnr:0.00} -> {result.FinalPsnr:0.00} dB\nlatent scaling factor: {result.ScalingFactor:0.0000}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Encode(TextWriter output, TextWriter error)
    {
        var (codec, input, destination) = Paths("image (PNG/JPEG)", "latents file (.safetensors)");
        var command = new Command("encode", "Encode an image into latents (safetensors, key 'latents', [1, z, h/f, w/f], unscaled) and write the reconstruction beside it as PNG.");
        foreach (var option in new Option[] { codec, input, destination })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            TorchRuntime.EnsureLoaded();
            var (vae, info) = CodecStore.LoadImageVae(parse.GetValue(codec)!);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var image = ImageCodec.Decode(File.ReadAllBytes(parse.GetValue(input)!));
            var latents = vae.Encode(ImageTensors.Stack([image], info.ImageSize)).Mean;
            var outPath = parse.GetValue(destination)!;
            Safetensors.SaveStateDict(outPath, new Dictionary<string, Tensor> { [LatentKey] = latents.contiguous() });
            var preview = Path.ChangeExtension(outPath, ".reconstruction.png");
            File.WriteAllBytes(preview, ImageCodec.EncodePng(ImageTensors.ToImage(vae.Decode(latents), 0)));
            output.WriteLine($"latents {string.Join("×", latents.shape)} → {outPath}; reconstruction → {preview}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Decode(TextWriter output, TextWriter error)
    {
        var (codec, input, destination) = Paths("latents file (.safetensors from `luma codec encode`)", "image (PNG)");
        var command = new Command("decode", "Decode latents into a PNG image.");
        foreach (var option in new Option[] { codec, input, destination })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            TorchRuntime.EnsureLoaded();
            var (vae, _) = CodecStore.LoadImageVae(parse.GetValue(codec)!);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var inPath = parse.GetValue(input)!;
            var tensors = Safetensors.LoadStateDict(inPath);
            var latents = tensors.TryGetValue(LatentKey, out var t) ? t : throw new InvalidDataException($"{inPath} has no '{LatentKey}' tensor.");
            if (latents.dim() != 4 || latents.shape[1] != vae.Shape.LatentChannels)
            {
                throw new InvalidDataException($"{inPath}: latents must be [n, {vae.Shape.LatentChannels}, h, w], got [{string.Join(", ", latents.shape)}].");
            }
            var outPath = parse.GetValue(destination)!;
            File.WriteAllBytes(outPath, ImageCodec.EncodePng(ImageTensors.ToImage(vae.Decode(latents), 0)));
            output.WriteLine($"image → {outPath}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (Option<string> Codec, Option<string> Input, Option<string> Output) Paths(string input, string output) => (
        new Option<string>("--codec") { Description = "A saved codec directory (from `luma codec train`).", Required = true },
        new Option<string>("--input", "-i") { Description = $"The {input}.", Required = true },
        new Option<string>("--out", "-o") { Description = $"The {output} to write.", Required = true });
}
