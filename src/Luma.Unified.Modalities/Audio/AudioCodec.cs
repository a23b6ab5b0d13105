using Luma.Unified.Modalities.Codecs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Audio;

// Shapes: b = batch, n = samples, t = frames = n / hop, d = latent width, q = codebooks.

/// <summary>
/// A neural audio codec in the SoundStream/EnCodec family, scaled down for CPU: a strided convolutional
/// encoder (hop = product of the strides), a residual vector quantiser, and a mirrored transposed-convolution
/// decoder. Waveforms <c>[b, 1, n]</c> in [-1, 1] ↔ codes <c>[b, q, t]</c>, one index per codebook per frame:
/// what the autoregressive head predicts for audio.
/// </summary>
public sealed class AudioCodec : nn.Module
{
    private readonly ChannelPaddedConv1d encoderStem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> encoderBlocks;
    private readonly ChannelPaddedConv1d encoderOut;
    private readonly ResidualVectorQuantizer quantizer;
    private readonly ChannelPaddedConv1d decoderStem;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> decoderBlocks;
    private readonly ChannelPaddedConv1d decoderOut;

    public AudioCodec(AudioCodecShape shape) : base(nameof(AudioCodec))
    {
        Shape = shape;
        var levels = shape.Strides.Count;
        encoderStem = new ChannelPaddedConv1d(1, shape.Channels(0), 7, padding: 3);
        var encoder = new List<nn.Module<Tensor, Tensor>>();
        for (var level = 0; level < levels; level++)
        {
            var (channels, stride) = (shape.Channels(level), shape.Strides[level]);
            encoder.Add(new ResidualUnit1d(channels, 1));
            encoder.Add(new ResidualUnit1d(channels, 3));
            encoder.Add(new Elu());
            encoder.Add(new ChannelPaddedConv1d(channels, shape.Channels(level + 1), 2 * stride, stride: stride, padding: (stride + 1) / 2));
        }
        encoderBlocks = new ModuleList<nn.Module<Tensor, Tensor>>([.. encoder]);
        encoderOut = new ChannelPaddedConv1d(shape.Channels(levels), shape.LatentDim, 3, padding: 1);
        quantizer = new ResidualVectorQuantizer(shape.Codebooks, shape.CodebookSize, shape.LatentDim);
        decoderStem = new ChannelPaddedConv1d(shape.LatentDim, shape.Channels(levels), 7, padding: 3);
        var decoder = new List<nn.Module<Tensor, Tensor>>();
        for (var level = levels - 1; level >= 0; level--)
        {
            var (channels, stride) = (shape.Channels(level), shape.Strides[level]);
            decoder.Add(new Elu());
            decoder.Add(new ChannelPaddedConvTranspose1d(shape.Channels(level + 1), channels, 2 * stride, stride: stride, padding: (stride + 1) / 2, outputPadding: stride % 2));
            decoder.Add(new ResidualUnit1d(channels, 1));
            decoder.Add(new ResidualUnit1d(channels, 3));
        }
        decoderBlocks = new ModuleList<nn.Module<Tensor, Tensor>>([.. decoder]);
        decoderOut = new ChannelPaddedConv1d(shape.Channels(0), 1, 7, padding: 3);
        RegisterComponents();
    }

    /// <summary>The dimensions it was built with.</summary>
    public AudioCodecShape Shape { get; }

    /// <summary>waveform <c>[b, 1, n]</c> (n a multiple of the hop) → latent <c>[b, d, n / hop]</c>.</summary>
    public Tensor EncodeLatent(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var h = encoderStem.forward(waveform);
        foreach (var block in encoderBlocks)
        {
            h = block.forward(h);
        }
        return encoderOut.forward(Elu.Apply(h)).MoveToOuterDisposeScope();
    }

    /// <summary>latent <c>[b, d, t]</c> → waveform <c>[b, 1, t · hop]</c> in (-1, 1).</summary>
    public Tensor DecodeLatent(Tensor latent)
    {
        using var scope = NewDisposeScope();
        var h = decoderStem.forward(latent);
        foreach (var block in decoderBlocks)
        {
            h = block.forward(h);
        }
        return decoderOut.forward(Elu.Apply(h)).tanh().MoveToOuterDisposeScope();
    }

    /// <summary>waveform <c>[b, 1, n]</c> → codes <c>[b, q, n / hop]</c>.</summary>
    public Tensor Encode(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        return quantizer.Quantize(EncodeLatent(waveform), 0).Codes.MoveToOuterDisposeScope();
    }

    /// <summary>codes <c>[b, q, t]</c> → waveform <c>[b, 1, t · hop]</c>.</summary>
    public Tensor Decode(Tensor codes)
    {
        using var scope = NewDisposeScope();
        return DecodeLatent(quantizer.Dequantize(codes)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One training pass. Returns (waveform MSE, multi-resolution STFT loss, quantiser loss) and the reconstruction.
    /// The waveform term must dominate early: with STFT (phase-blind) or L1 in charge, tones with random phase
    /// collapse to silence (SI-SNR stayed below -35 dB over 600 steps); 10·MSE + 0.1·STFT reached +15 dB.
    /// </summary>
    public (Tensor Waveform, Tensor Spectral, Tensor Quantizer, Tensor Reconstruction) Losses(Tensor waveform, double commitmentWeight)
    {
        using var scope = NewDisposeScope();
        var (quantized, _, vqLoss) = quantizer.Quantize(EncodeLatent(waveform), commitmentWeight);
        var reconstruction = DecodeLatent(quantized);
        var mse = (reconstruction - waveform).pow(2).mean();
        var spectral = MultiResolutionStftLoss(reconstruction.squeeze(1), waveform.squeeze(1));
        return (mse.MoveToOuterDisposeScope(), spectral.MoveToOuterDisposeScope(), vqLoss.MoveToOuterDisposeScope(), reconstruction.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Mean over FFT sizes 256, 512 and 1024 of spectral convergence + L1 of log magnitudes
    /// (Parallel WaveGAN's loss). Inputs <c>[b, n]</c>.
    /// </summary>
    public static Tensor MultiResolutionStftLoss(Tensor estimate, Tensor reference)
    {
        using var scope = NewDisposeScope();
        long[] sizes = [256, 512, 1024];
        var total = zeros(1, device: estimate.device).squeeze();
        foreach (var size in sizes)
        {
            var window = hann_window(size, device: estimate.device);
            var a = stft(estimate, size, size / 4, size, window, return_complex: true).abs().clamp_min(1e-7);
            var b = stft(reference, size, size / 4, size, window, return_complex: true).abs().clamp_min(1e-7);
            var convergence = (b - a).norm() / b.norm().clamp_min(1e-7);
            var logMagnitude = (b.log() - a.log()).abs().mean();
            total = total + convergence + logMagnitude;
        }
        return (total / sizes.Length).MoveToOuterDisposeScope();
    }

    /// <summary>Scale-invariant signal-to-noise ratio in dB of <paramref name="estimate"/> against <paramref name="reference"/> (<c>[b, n]</c>), averaged over the batch.</summary>
    public static double SiSnr(Tensor estimate, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var e = estimate - estimate.mean([-1], keepdim: true);
        var r = reference - reference.mean([-1], keepdim: true);
        var projection = (e * r).sum([-1], keepdim: true) / (r.pow(2).sum([-1], keepdim: true) + 1e-8) * r;
        var noise = e - projection;
        var ratio = projection.pow(2).sum(-1) / (noise.pow(2).sum(-1) + 1e-8);
        return (10 * (ratio + 1e-8).log10()).mean().item<float>();
    }
}
