using System.Diagnostics;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Modalities.Audio;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Runtime;
using Luma.Unified.Training.Observability;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Codecs;

/// <summary>
/// Trains the audio codec on random crops (weighted waveform MSE + multi-resolution STFT + VQ losses, Adam), reports
/// held-out SI-SNR of whole clips through the quantiser as it goes, and saves the codec with its config.
/// </summary>
public sealed class AudioCodecTrainer(CodecTrainingConfig config, string resolvedYaml, string configSource, ILogger log)
{
    /// <summary>Trains and saves into <paramref name="outDirectory"/>.</summary>
    public CodecTrainingResult Run(string outDirectory)
    {
        var (codec, train, data) = (config.Codec, config.Train, config.Data);
        var shape = new AudioCodecShape(codec.Strides, codec.BaseChannels, codec.LatentChannels, codec.Codebooks, codec.CodebookSize);
        var crop = (int)Math.Round(data.ClipSeconds * data.SampleRate) / shape.Hop * shape.Hop;
        if (crop < shape.Hop)
        {
            throw ConfigException.At(configSource, "data.clip_seconds", data.ClipSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"a crop must hold at least one code frame ({shape.Hop} samples at {data.SampleRate} Hz).");
        }
        var session = TorchRuntime.Start(config.Run.Device, config.Run.Threads);
        manual_seed(config.Run.Seed);
        var clips = CodecClips.Load(data, config.Run.Seed, configSource);
        var usable = clips.Train.Where(c => c.Length >= crop).ToList();
        if (usable.Count == 0)
        {
            throw ConfigException.At(configSource, "data.clip_seconds", null, $"no training clip is {crop} samples long; shorten the crop.");
        }
        using var validation = Stack(clips.Validation, shape.Hop, session.Device);
        using var model = new AudioCodec(shape);
        model.to(session.Device);
        using var optimizer = optim.Adam(model.parameters(), train.Lr);
        var random = new Random((int)config.Run.Seed);
        log.Information(
            "Training audio codec: {Parameters:N0} parameters, hop {Hop} ({FrameRate:0.#} frames/s) × {Codebooks} codebooks of {Size} → {TokenRate:0} tokens/s; {Train} training / {Validation} held-out clips; {Steps} steps × {Batch} crops of {Crop} samples",
            model.parameters().Sum(p => p.numel()), shape.Hop, (double)data.SampleRate / shape.Hop, shape.Codebooks, shape.CodebookSize,
            (double)data.SampleRate / shape.Hop * shape.Codebooks, usable.Count, clips.Validation.Count, train.Steps, train.BatchSize, crop);

        var initial = SiSnr(model, validation);
        log.Information("held-out SI-SNR before training {SiSnr:0.00} dB", initial);
        var clock = Stopwatch.StartNew();
        double waveSum = 0, spectralSum = 0, vqSum = 0;
        var window = 0;
        var final = initial;
        model.train();
        for (var step = 1; step <= train.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var batch = new float[train.BatchSize * crop];
            for (var b = 0; b < train.BatchSize; b++)
            {
                var clip = usable[random.Next(usable.Count)];
                Array.Copy(clip, random.Next(clip.Length - crop + 1), batch, b * crop, crop);
            }
            var waveform = tensor(batch, [train.BatchSize, 1, crop]).to(session.Device);
            optimizer.zero_grad();
            var (wave, spectral, vq, _) = model.Losses(waveform, codec.CommitmentWeight);
            (codec.WaveformWeight * wave + codec.SpectralWeight * spectral + vq).backward();
            if (train.GradClip > 0)
            {
                nn.utils.clip_grad_norm_(model.parameters(), train.GradClip);
            }
            optimizer.step();
            (waveSum, spectralSum, vqSum, window) = (waveSum + wave.item<float>(), spectralSum + spectral.item<float>(), vqSum + vq.item<float>(), window + 1);
            var evaluate = step % train.EvalEvery == 0 || step == train.Steps;
            if (evaluate)
            {
                final = SiSnr(model, validation);
                model.train();
            }
            if (step % train.LogEvery == 0 || step == train.Steps || evaluate)
            {
                log.Information(
                    "step {Step}/{Steps} ({Percent:0}%) waveform mse {Wave:0.00000} stft {Spectral:0.0000} vq {Vq:0.0000}{SiSnr} eta {Eta}",
                    step, train.Steps, 100.0 * step / train.Steps, waveSum / window, spectralSum / window, vqSum / window,
                    evaluate ? $" held-out SI-SNR {final:0.00} dB" : "", ProgressLine.Duration(ProgressLine.Eta(clock.Elapsed, step, train.Steps)));
                (waveSum, spectralSum, vqSum, window) = (0, 0, 0, 0);
            }
        }
        var info = new CodecInfo
        {
            Kind = ConfigNaming.EnumValue(codec.Kind),
            LatentChannels = codec.LatentChannels,
            BaseChannels = codec.BaseChannels,
            Steps = train.Steps,
            SampleRate = data.SampleRate,
            Strides = codec.Strides,
            Codebooks = codec.Codebooks,
            CodebookSize = codec.CodebookSize,
            ValidationSiSnr = final,
        };
        CodecStore.Save(outDirectory, model, info, resolvedYaml);
        log.Information("Saved audio codec to {Directory}: held-out SI-SNR {Before:0.00} → {After:0.00} dB, {Elapsed}",
            outDirectory, initial, final, ProgressLine.Duration(clock.Elapsed));
        return new CodecTrainingResult("SI-SNR", initial, final, 1.0, Path.GetFullPath(outDirectory));
    }

    /// <summary>Mean held-out SI-SNR of encode → quantise → decode over whole clips (each trimmed to whole frames).</summary>
    public static double SiSnr(AudioCodec model, IReadOnlyList<Tensor> clips)
    {
        model.eval();
        using var noGrad = no_grad();
        return clips.Average(clip =>
        {
            using var scope = NewDisposeScope();
            return AudioCodec.SiSnr(model.Decode(model.Encode(clip)).squeeze(1), clip.squeeze(1));
        });
    }

    private static DisposableList Stack(IReadOnlyList<float[]> clips, int hop, Device device) =>
        new([.. clips.Where(c => c.Length >= hop).Select(c => tensor(c.AsSpan(0, c.Length / hop * hop).ToArray(), [1, 1, c.Length / hop * hop]).to(device))]);

    /// <summary>Held-out clips as <c>[1, 1, n]</c> tensors, disposed together.</summary>
    private sealed class DisposableList(List<Tensor> items) : List<Tensor>(items), IDisposable
    {
        public void Dispose() => ForEach(t => t.Dispose());
    }
}
