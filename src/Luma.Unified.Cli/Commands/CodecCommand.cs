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
    private const string CodesKey = "codes";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("codec", "Train modality codecs (image VAE, video VAE, audio codec) and encode/decode media with them.");
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
            var result = CodecTraining.Run(config, path, log, destination);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"codec: {result.Directory}\nheld-out {result.Metric}: {result.Initial:0.00} -> {result.Final:0.00} dB"));
            if (config.Codec.Kind != CodecKind.AudioCodec)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latent scaling factor: {result.ScalingFactor:0.0000}"));
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Encode(TextWriter output, TextWriter error)
    {
        var (codec, input, destination) = Paths("image (PNG/JPEG), video (PNG frame strip) or audio (WAV)", "latents/codes file (.safetensors)");
        var command = new Command("encode",
            "Image/video VAE: media → latents (safetensors key 'latents', unscaled); audio codec: WAV → codes (key 'codes', [1, q, t]). The reconstruction is written beside it (.reconstruction.png/.wav).");
        foreach (var option in new Option[] { codec, input, destination })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
            Dispatch(parse.GetValue(codec)!, parse.GetValue(input)!, parse.GetValue(destination)!, output, EncodeImage, EncodeVideo, EncodeAudio)));
        return command;
    }

    private static Command Decode(TextWriter output, TextWriter error)
    {
        var (codec, input, destination) = Paths("latents/codes file (.safetensors from `luma codec encode`)", "image (PNG), video (PNG frame strip) or audio (WAV)");
        var command = new Command("decode", "Decode latents into a PNG image or frame strip (image/video VAE) or codes into a WAV file (audio codec).");
        foreach (var option in new Option[] { codec, input, destination })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandGuard.Run(error, () =>
            Dispatch(parse.GetValue(codec)!, parse.GetValue(input)!, parse.GetValue(destination)!, output, DecodeImage, DecodeVideo, DecodeAudio)));
        return command;
    }

    private delegate void CodecAction(string codec, string input, string output, TextWriter writer);

    // Picks the action for the kind of codec saved in the directory.
    private static int Dispatch(string codec, string input, string output, TextWriter writer, CodecAction image, CodecAction video, CodecAction audio)
    {
        TorchRuntime.EnsureLoaded();
        var action = CodecStore.KindOf(codec) switch
        {
            "audio-codec" => audio,
            "video-vae" => video,
            _ => image,
        };
        action(codec, input, output, writer);
        return ExitCodes.Success;
    }

    private static void EncodeImage(string directory, string inPath, string outPath, TextWriter output)
    {
        var (vae, info) = CodecStore.LoadImageVae(directory);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var image = ImageCodec.Decode(File.ReadAllBytes(inPath));
        var latents = vae.Encode(ImageTensors.Stack([image], info.ImageSize!.Value)).Mean;
        Safetensors.SaveStateDict(outPath, new Dictionary<string, Tensor> { [LatentKey] = latents.contiguous() });
        var preview = Path.ChangeExtension(outPath, ".reconstruction.png");
        File.WriteAllBytes(preview, ImageCodec.EncodePng(ImageTensors.ToImage(vae.Decode(latents), 0)));
        output.WriteLine($"latents {string.Join("×", latents.shape)} → {outPath}; reconstruction → {preview}");
    }

    private static void DecodeImage(string directory, string inPath, string outPath, TextWriter output)
    {
        var (vae, _) = CodecStore.LoadImageVae(directory);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latents = Safetensors.LoadStateDict(inPath).TryGetValue(LatentKey, out var t) ? t : throw new InvalidDataException($"{inPath} has no '{LatentKey}' tensor.");
        if (latents.dim() != 4 || latents.shape[1] != vae.Shape.LatentChannels)
        {
            throw new InvalidDataException($"{inPath}: latents must be [n, {vae.Shape.LatentChannels}, h, w], got [{string.Join(", ", latents.shape)}].");
        }
        File.WriteAllBytes(outPath, ImageCodec.EncodePng(ImageTensors.ToImage(vae.Decode(latents), 0)));
        output.WriteLine($"image → {outPath}");
    }

    // Video goes in and out as a PNG frame strip: square frames side by side, so the frame count is width / height.
    private static void EncodeVideo(string directory, string inPath, string outPath, TextWriter output)
    {
        var (vae, info) = CodecStore.LoadVideoVae(directory);
        var strip = ImageCodec.Decode(File.ReadAllBytes(inPath));
        if (strip.Width % strip.Height != 0)
        {
            throw new InvalidDataException($"{inPath} is not a strip of square frames ({strip.Width}×{strip.Height}).");
        }
        var clip = FrameStripCodec.Decode(File.ReadAllBytes(inPath), strip.Width / strip.Height, fps: 8);
        vae.Shape.LatentFrames(clip.Frames.Count);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var frames = ImageTensors.Stack([.. clip.Frames], info.ImageSize!.Value).permute(1, 0, 2, 3).unsqueeze(0);
        var latents = vae.Encode(frames).Mean;
        Safetensors.SaveStateDict(outPath, new Dictionary<string, Tensor> { [LatentKey] = latents.contiguous() });
        var preview = Path.ChangeExtension(outPath, ".reconstruction.png");
        File.WriteAllBytes(preview, Strip(vae.Decode(latents)));
        output.WriteLine($"latents {string.Join("×", latents.shape)} → {outPath}; reconstruction → {preview}");
    }

    private static void DecodeVideo(string directory, string inPath, string outPath, TextWriter output)
    {
        var (vae, _) = CodecStore.LoadVideoVae(directory);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latents = Safetensors.LoadStateDict(inPath).TryGetValue(LatentKey, out var t) ? t : throw new InvalidDataException($"{inPath} has no '{LatentKey}' tensor.");
        if (latents.dim() != 5 || latents.shape[1] != vae.Shape.LatentChannels)
        {
            throw new InvalidDataException($"{inPath}: video latents must be [n, {vae.Shape.LatentChannels}, frames, h, w], got [{string.Join(", ", latents.shape)}].");
        }
        File.WriteAllBytes(outPath, Strip(vae.Decode(latents)));
        output.WriteLine($"video frames → {outPath}");
    }

    private static byte[] Strip(Tensor clips)
    {
        var first = clips[0].permute(1, 0, 2, 3); // [t, 3, h, w]
        return FrameStripCodec.Encode(new VideoClip([.. Enumerable.Range(0, (int)first.shape[0]).Select(f => ImageTensors.ToImage(first, f))], 8));
    }

    private static void EncodeAudio(string directory, string inPath, string outPath, TextWriter output)
    {
        var (model, info) = CodecStore.LoadAudioCodec(directory);
        var clip = WavCodec.Decode(File.ReadAllBytes(inPath));
        if (clip.SampleRate != info.SampleRate)
        {
            throw new InvalidDataException($"{inPath} is sampled at {clip.SampleRate} Hz; this codec works at {info.SampleRate} Hz.");
        }
        var hop = model.Shape.Hop;
        if (clip.Samples.Length < hop)
        {
            throw new InvalidDataException($"{inPath} is shorter than one code frame ({hop} samples).");
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var length = clip.Samples.Length / hop * hop;
        var codes = model.Encode(tensor(clip.Samples.AsSpan(0, length).ToArray(), [1, 1, length]));
        Safetensors.SaveStateDict(outPath, new Dictionary<string, Tensor> { [CodesKey] = codes.contiguous() });
        var preview = Path.ChangeExtension(outPath, ".reconstruction.wav");
        File.WriteAllBytes(preview, WavCodec.Encode(new AudioClip(info.SampleRate!.Value, model.Decode(codes).reshape(-1).data<float>().ToArray())));
        output.WriteLine($"codes {string.Join("×", codes.shape)} → {outPath}; reconstruction → {preview}");
    }

    private static void DecodeAudio(string directory, string inPath, string outPath, TextWriter output)
    {
        var (model, info) = CodecStore.LoadAudioCodec(directory);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var codes = Safetensors.LoadStateDict(inPath).TryGetValue(CodesKey, out var t) ? t : throw new InvalidDataException($"{inPath} has no '{CodesKey}' tensor.");
        if (codes.dim() != 3 || codes.shape[1] != model.Shape.Codebooks || codes.max().item<long>() >= model.Shape.CodebookSize || codes.min().item<long>() < 0)
        {
            throw new InvalidDataException($"{inPath}: codes must be [n, {model.Shape.Codebooks}, t] with values below {model.Shape.CodebookSize}.");
        }
        File.WriteAllBytes(outPath, WavCodec.Encode(new AudioClip(info.SampleRate!.Value, model.Decode(codes)[0].reshape(-1).data<float>().ToArray())));
        output.WriteLine($"audio → {outPath}");
    }

    private static (Option<string> Codec, Option<string> Input, Option<string> Output) Paths(string input, string output) => (
        new Option<string>("--codec") { Description = "A saved codec directory (from `luma codec train`).", Required = true },
        new Option<string>("--input", "-i") { Description = $"The {input}.", Required = true },
        new Option<string>("--out", "-o") { Description = $"The {output} to write.", Required = true });
}
