namespace Luma.Unified.Training.Weights;

/// <summary>
/// The <c>__metadata__</c> keys of an exported weights file (all values are strings, as safetensors requires): what
/// the file holds and everything an import needs to rebuild the module around the tensors.
/// </summary>
public static class WeightsMetadata
{
    /// <summary><c>luma.unified.weights/1</c> in every export; a file without it was not written by <c>luma weights export</c>.</summary>
    public const string Format = "format";

    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatVersion = "luma.unified.weights/1";

    /// <summary><see cref="UnifiedModelKind"/>, or a codec kind: <c>image-vae</c>, <c>video-vae</c>, <c>audio-codec</c>.</summary>
    public const string Kind = "kind";

    /// <summary>The unified transformer's kind.</summary>
    public const string UnifiedModelKind = "unified-model";

    /// <summary>The resolved YAML config the weights were trained with (<c>luma train</c> or <c>luma codec train</c>).</summary>
    public const string Config = "config";

    /// <summary>Unified model: the shared token vocabulary as JSON, <c>[{"modality":"text","offset":0,"size":262}, ...]</c>.</summary>
    public const string Vocabulary = "vocabulary";

    /// <summary>Unified model: <c>ema</c> (the exponential moving average) or <c>raw</c> (the optimizer's weights).</summary>
    public const string Weights = "weights";

    /// <summary>Unified model: the training step of the checkpoint.</summary>
    public const string Step = "step";

    /// <summary>Codec: its <c>codec.json</c> (shape, latent scaling factor, held-out quality).</summary>
    public const string CodecInfo = "codec_info";

    /// <summary>The checkpoint or codec directory the weights were exported from.</summary>
    public const string Source = "source";
}
