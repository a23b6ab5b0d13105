namespace Luma.Unified.Modalities.Codecs;

/// <summary>
/// <c>codec.json</c>: what a saved codec is, how to rebuild it, and what it measured. Saved beside its
/// weights (<c>codec.safetensors</c>) and the resolved config it was trained with (<c>codec.yaml</c>).
/// </summary>
/// <param name="Kind">e.g. <c>image-vae</c>.</param>
/// <param name="Downsample">Spatial downsampling factor.</param>
/// <param name="LatentChannels">Latent channels.</param>
/// <param name="BaseChannels">Width of the first level.</param>
/// <param name="ImageSize">Side of the images it was trained on.</param>
/// <param name="ScalingFactor">1 / std of training latents: multiply latents by it before diffusion, divide before decoding.</param>
/// <param name="ValidationPsnr">Held-out PSNR in dB after training.</param>
/// <param name="Steps">Training steps.</param>
public sealed record CodecInfo(string Kind, int Downsample, int LatentChannels, int BaseChannels, int ImageSize, double ScalingFactor, double ValidationPsnr, int Steps);
