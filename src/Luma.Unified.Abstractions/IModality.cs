namespace Luma.Unified.Abstractions;

/// <summary>
/// One kind of segment, end to end: how a stored payload becomes backbone input (<see cref="Encode"/>), how
/// model output becomes a stored payload — media again — (<see cref="Decode"/>), and which head trains it.
/// Built-in modalities and plugins implement the same interface.
/// </summary>
public interface IModality
{
    /// <summary>The segment kind it handles (<c>SegmentRecord.Modality</c>), e.g. <c>text</c> or <c>sensor</c>.</summary>
    string Name { get; }

    /// <summary>The head, and so the loss, that trains it.</summary>
    ModalityHead Head { get; }

    /// <summary>Size of its own token vocabulary (autoregressive modalities); 0 for diffusion modalities.</summary>
    int VocabSize { get; }

    /// <summary>Channels of one latent position (diffusion modalities), which sizes the model's input projection and velocity head; 0 for autoregressive modalities.</summary>
    int LatentChannels => 0;

    /// <summary>
    /// Side of the square grid of latent positions one item spans (an image, a video frame), in row-major order, for
    /// input layers that convolve over it (<c>diffusion.input_layers: conv</c>); null when its positions form no
    /// square grid, and such a modality is refused by those layers by name.
    /// </summary>
    int? LatentGridSide => null;

    /// <summary>The backbone input of a stored segment; an undecodable payload is an <see cref="InvalidDataException"/>.</summary>
    ModalityInput Encode(SegmentRecord segment);

    /// <summary>A stored segment (text, encoded media) from what the model produced.</summary>
    SegmentRecord Decode(ModalityInput output);
}
