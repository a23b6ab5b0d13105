using System.Diagnostics;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Runtime;
using Luma.Unified.Training.Observability;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Codecs;

/// <summary>How a codec training went: its held-out quality metric (PSNR for images, SI-SNR for audio, in dB) before and after.</summary>
public sealed record CodecTrainingResult(string Metric, double Initial, double Final, double ScalingFactor, string Directory);

/// <summary>
/// Trains the image VAE (reconstruction MSE + KL, AdamW) on the configured images, reports held-out PSNR as
/// it goes, measures the latent scaling factor, and saves the codec with its config.
/// </summary>
public sealed class ImageVaeTrainer(CodecTrainingConfig config, string resolvedYaml, string configSource, ILogger log)
{
    /// <summary>Trains and saves into <paramref name="outDirectory"/>.</summary>
    public CodecTrainingResult Run(string outDirectory)
    {
        var (codec, train) = (config.Codec, config.Train);
        if (config.Data.ImageSize % codec.Downsample != 0)
        {
            throw ConfigException.At(configSource, "data.image_size", config.Data.ImageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"must be a multiple of codec.downsample ({codec.Downsample}).");
        }
        var shape = new ImageVaeShape(codec.Downsample, codec.LatentChannels, codec.BaseChannels);
        var session = TorchRuntime.Start(config.Run.Device, config.Run.Threads);
        manual_seed(config.Run.Seed);
        using var images = CodecImages.Load(config.Data, config.Run.Seed, configSource);
        var (trainImages, validationImages) = (images.Train.to(session.Device), images.Validation.to(session.Device));
        using var vae = new ImageVae(shape);
        vae.to(session.Device);
        using var optimizer = optim.AdamW(vae.parameters(), train.Lr, weight_decay: 0);
        var generator = new Generator((ulong)config.Run.Seed, session.Device);
        log.Information(
            "Training image VAE: {Parameters:N0} parameters, {Side}² images → {Latent}, {Train:N0} training / {Validation:N0} held-out images, {Steps} steps × {Batch}",
            vae.parameters().Sum(p => p.numel()), config.Data.ImageSize,
            $"{codec.LatentChannels}×{config.Data.ImageSize / codec.Downsample}×{config.Data.ImageSize / codec.Downsample} latents",
            trainImages.shape[0], validationImages.shape[0], train.Steps, train.BatchSize);

        var initialPsnr = Psnr(vae, validationImages);
        log.Information("held-out PSNR before training {Psnr:0.00} dB", initialPsnr);
        var clock = Stopwatch.StartNew();
        double reconstructionSum = 0, klSum = 0;
        var windowSteps = 0;
        var finalPsnr = initialPsnr;
        vae.train();
        for (var step = 1; step <= train.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = trainImages.index_select(0, randint(0, trainImages.shape[0], [train.BatchSize], generator: generator, device: session.Device));
            optimizer.zero_grad();
            var (reconstruction, kl) = vae.Losses(batch);
            (reconstruction + codec.KlWeight * kl).backward();
            optimizer.step();
            reconstructionSum += reconstruction.item<float>();
            klSum += kl.item<float>();
            windowSteps++;
            var evaluate = step % train.EvalEvery == 0 || step == train.Steps;
            if (evaluate)
            {
                finalPsnr = Psnr(vae, validationImages);
                vae.train();
            }
            if (step % train.LogEvery == 0 || step == train.Steps || evaluate)
            {
                log.Information(
                    "step {Step}/{Steps} ({Percent:0}%) reconstruction {Reconstruction:0.00000} kl {Kl:0.000}{Psnr} eta {Eta}",
                    step, train.Steps, 100.0 * step / train.Steps, reconstructionSum / windowSteps, klSum / windowSteps,
                    evaluate ? $" held-out PSNR {finalPsnr:0.00} dB" : "",
                    ProgressLine.Duration(ProgressLine.Eta(clock.Elapsed, step, train.Steps)));
                (reconstructionSum, klSum, windowSteps) = (0, 0, 0);
            }
        }

        vae.ScalingFactor = ScalingFactor(vae, trainImages);
        var info = new CodecInfo
        {
            Kind = ConfigNaming.EnumValue(codec.Kind),
            LatentChannels = codec.LatentChannels,
            BaseChannels = codec.BaseChannels,
            Steps = train.Steps,
            Downsample = codec.Downsample,
            ImageSize = config.Data.ImageSize,
            ScalingFactor = vae.ScalingFactor,
            ValidationPsnr = finalPsnr,
        };
        CodecStore.Save(outDirectory, vae, info, resolvedYaml);
        log.Information("Saved image VAE to {Directory}: held-out PSNR {Before:0.00} → {After:0.00} dB, latent scaling factor {Scale:0.0000}, {Elapsed}",
            outDirectory, initialPsnr, finalPsnr, vae.ScalingFactor, ProgressLine.Duration(clock.Elapsed));
        return new CodecTrainingResult("PSNR", initialPsnr, finalPsnr, vae.ScalingFactor, Path.GetFullPath(outDirectory));
    }

    /// <summary>Held-out PSNR of encode (mean) → decode, in batches of 64.</summary>
    public static double Psnr(ImageVae vae, Tensor images)
    {
        vae.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var reconstructions = images.split(64).Select(chunk => vae.Decode(vae.Encode(chunk).Mean)).ToList();
        return ImageTensors.Psnr(cat(reconstructions, dim: 0), images);
    }

    // Stable Diffusion's recipe: 1 / std of the latent means of (up to 256) training images.
    private static double ScalingFactor(ImageVae vae, Tensor images)
    {
        vae.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sample = images.narrow(0, 0, Math.Min(256, images.shape[0]));
        return 1.0 / vae.Encode(sample).Mean.std().item<float>();
    }
}
