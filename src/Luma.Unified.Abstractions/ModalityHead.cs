namespace Luma.Unified.Abstractions;

/// <summary>Which head predicts a modality, and so which loss trains it.</summary>
public enum ModalityHead
{
    /// <summary>Next-token prediction over the modality's own discrete vocabulary (cross-entropy): text, audio codes, sensor bins.</summary>
    Autoregressive,

    /// <summary>Denoising of continuous latent patches (flow matching / diffusion): image and video latents.</summary>
    Diffusion,
}
