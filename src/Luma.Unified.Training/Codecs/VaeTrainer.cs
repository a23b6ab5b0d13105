using System.Diagnostics;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Runtime;
using Luma.Unified.Runtime.Randomness;
using Luma.Unified.Training.Observability;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Codecs;

/// <summary>How a codec training went: its held-out quality metric (PSNR for images and video, SI-SNR for audio, in dB) before and after.</summary>
public sealed record CodecTrainingResult(string Metric, double Initial, double Final, double ScalingFactor, string Directory);

/// <summary>
/// Trains a VAE — image or video — on media tensors (reconstruction MSE + <c>codec.kl_weight</c> · KL, and optionally
/// <c>codec.adversarial_weight</c> · a PatchGAN hinge term from <c>codec.adversarial_start</c>; AdamW),
/// reports held-out PSNR as it goes, measures the latent scaling factor, and saves the codec with its config.
/// </summary>
public sealed class VaeTrainer(CodecTrainingConfig config, string resolvedYaml, ILogger log)
{
    /// <summary>Trains <paramref name="model"/> on <paramref name="media"/> and saves it; <paramref name="describe"/> builds codec.json from (PSNR, scaling factor).</summary>
    public CodecTrainingResult Run<TModel>(TModel model, CodecMedia media, TorchSession session, Func<double, double, CodecInfo> describe, string outDirectory)
        where TModel : nn.Module, IVariationalAutoencoder
    {
        var (codec, train) = (config.Codec, config.Train);
        var (trainMedia, validationMedia) = (media.Train.to(session.Device), media.Validation.to(session.Device));
        model.to(session.Device);
        using var optimizer = optim.AdamW(model.parameters(), train.Lr, weight_decay: 0);
        // The optional adversarial term: a PatchGAN on frames, trained with its own optimizer, off unless weighted.
        using var discriminator = codec.AdversarialWeight > 0 ? new PatchDiscriminator(codec.BaseChannels) : null;
        discriminator?.to(session.Device);
        using var discriminatorOptimizer = discriminator is null ? null : optim.AdamW(discriminator.parameters(), train.Lr, 0.5, 0.9, weight_decay: 0);
        var generator = SeededDraw.Generator(config.Run.Seed);
        log.Information("Training {Kind}: {Parameters:N0} parameters, {Train:N0} training / {Validation:N0} held-out items of shape [{Shape}], {Steps} steps × {Batch}",
            ConfigNaming(codec.Kind), model.parameters().Sum(p => p.numel()), trainMedia.shape[0], validationMedia.shape[0],
            string.Join(", ", trainMedia.shape.Skip(1)), train.Steps, train.BatchSize);
        var initialPsnr = Psnr(model, validationMedia);
        log.Information("held-out PSNR before training {Psnr:0.00} dB", initialPsnr);
        var clock = Stopwatch.StartNew();
        double reconstructionSum = 0, klSum = 0;
        var windowSteps = 0;
        var finalPsnr = initialPsnr;
        model.train();
        for (var step = 1; step <= train.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = trainMedia.index_select(0, SeededDraw.Integers(0, trainMedia.shape[0], [train.BatchSize], generator, session.Device));
            optimizer.zero_grad();
            var (reconstruction, kl, output) = model.Losses(batch);
            var adversarial = discriminator is not null && step > codec.AdversarialStart;
            var loss = reconstruction + codec.KlWeight * kl;
            if (adversarial)
            {
                loss = loss + codec.AdversarialWeight * discriminator!.GeneratorLoss(Frames(output));
            }
            loss.backward();
            if (train.GradClip > 0)
            {
                nn.utils.clip_grad_norm_(model.parameters(), train.GradClip);
            }
            optimizer.step();
            if (adversarial)
            {
                discriminatorOptimizer!.zero_grad();
                discriminator!.DiscriminatorLoss(Frames(batch), Frames(output)).backward();
                discriminatorOptimizer.step();
            }
            reconstructionSum += reconstruction.item<float>();
            klSum += kl.item<float>();
            windowSteps++;
            var evaluate = step % train.EvalEvery == 0 || step == train.Steps;
            if (evaluate)
            {
                finalPsnr = Psnr(model, validationMedia);
                model.train();
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
        model.ScalingFactor = ScalingFactor(model, trainMedia);
        CodecStore.Save(outDirectory, model, describe(finalPsnr, model.ScalingFactor), resolvedYaml);
        log.Information("Saved {Kind} to {Directory}: held-out PSNR {Before:0.00} → {After:0.00} dB, latent scaling factor {Scale:0.0000}, {Elapsed}",
            ConfigNaming(codec.Kind), outDirectory, initialPsnr, finalPsnr, model.ScalingFactor, ProgressLine.Duration(clock.Elapsed));
        return new CodecTrainingResult("PSNR", initialPsnr, finalPsnr, model.ScalingFactor, Path.GetFullPath(outDirectory));
    }

    // Images as they are; videos [b, 3, t, h, w] as b·t frames.
    private static Tensor Frames(Tensor media) =>
        media.dim() == 4 ? media : media.permute(0, 2, 1, 3, 4).reshape(-1, media.shape[1], media.shape[3], media.shape[4]);

    /// <summary>Held-out PSNR of encode (mean) → decode, in chunks of 32 items.</summary>
    public static double Psnr<TModel>(TModel model, Tensor media) where TModel : nn.Module, IVariationalAutoencoder
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var reconstructions = media.split(32).Select(chunk => model.Decode(model.Encode(chunk).Mean)).ToList();
        return ImageTensors.Psnr(cat(reconstructions, dim: 0), media);
    }

    // Stable Diffusion's recipe: 1 / std of the latent means of (up to 256) training items.
    private static double ScalingFactor<TModel>(TModel model, Tensor media) where TModel : nn.Module, IVariationalAutoencoder
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sample = media.narrow(0, 0, Math.Min(256, media.shape[0]));
        var means = sample.split(32).Select(chunk => model.Encode(chunk).Mean).ToList();
        return 1.0 / cat(means, dim: 0).std().item<float>();
    }

    private static string ConfigNaming(CodecKind kind) => Config.ConfigNaming.EnumValue(kind);
}
