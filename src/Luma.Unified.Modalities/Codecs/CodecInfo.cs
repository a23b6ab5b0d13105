namespace Luma.Unified.Modalities.Codecs;

/// <summary>
/// <c>codec.json</c>: what a saved codec is, how to rebuild it, and what it measured. Saved beside its
/// weights (<c>codec.safetensors</c>) and the resolved config it was trained with (<c>codec.yaml</c>).
/// Fields that do not apply to a kind are null.
/// </summary>
public sealed record CodecInfo
{
    /// <summary><c>image-vae</c>, <c>video-vae</c> or <c>audio-codec</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Latent channels (image) or latent frame width (audio).</summary>
    public required int LatentChannels { get; init; }

    /// <summary>Width of the first level.</summary>
    public required int BaseChannels { get; init; }

    /// <summary>Training steps.</summary>
    public required int Steps { get; init; }

    /// <summary>Image/video VAE: spatial downsampling factor.</summary>
    public int? Downsample { get; init; }

    /// <summary>Image/video VAE: side of the training images or frames.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Image VAE: 1 / std of training latents; multiply latents by it before diffusion, divide before decoding.</summary>
    public double? ScalingFactor { get; init; }

    /// <summary>Image/video VAE: held-out PSNR in dB after training.</summary>
    public double? ValidationPsnr { get; init; }

    /// <summary>Video VAE: frames per latent frame after the first.</summary>
    public int? TemporalDownsample { get; init; }

    /// <summary>Video VAE: width of the per-frame features.</summary>
    public int? FrameChannels { get; init; }

    /// <summary>Audio codec: sample rate in Hz.</summary>
    public int? SampleRate { get; init; }

    /// <summary>Audio codec: encoder strides.</summary>
    public IReadOnlyList<int>? Strides { get; init; }

    /// <summary>Audio codec: codebooks.</summary>
    public int? Codebooks { get; init; }

    /// <summary>Audio codec: entries per codebook.</summary>
    public int? CodebookSize { get; init; }

    /// <summary>Audio codec: held-out SI-SNR in dB after training.</summary>
    public double? ValidationSiSnr { get; init; }
}
