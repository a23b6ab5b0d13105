using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Codecs;

/// <summary>What the image and video VAEs share, so one trainer serves both.</summary>
public interface IVariationalAutoencoder
{
    /// <summary>Media → (mean, log-variance) of the latent.</summary>
    (Tensor Mean, Tensor LogVariance) Encode(Tensor media);

    /// <summary>Latent → media.</summary>
    Tensor Decode(Tensor latents);

    /// <summary>One training pass: (reconstruction MSE, KL per latent element, the reconstruction itself).</summary>
    (Tensor Reconstruction, Tensor Kl, Tensor Output) Losses(Tensor media);

    /// <summary>1 / std of training latents (set after training, stored with the weights).</summary>
    double ScalingFactor { get; set; }
}
