namespace Luma.Unified.Data.Synthesis;

/// <summary>What <c>luma data synth</c> generates: sizes of media and the mix of document kinds.</summary>
public sealed record ShapesWorldOptions
{
    public int ImageSize { get; init; } = 64;

    public int VideoSize { get; init; } = 32;

    /// <summary>Frames per video: 1 + 8, the shape the video VAE (temporal factor 2) encodes.</summary>
    public int VideoFrames { get; init; } = 9;

    public double VideoFps { get; init; } = 8;

    public int SampleRate { get; init; } = 16_000;

    /// <summary>The document kinds, as <c>luma data synth --mix</c> names them.</summary>
    public static readonly string[] Kinds = ["image", "audio", "video", "interleaved"];

    /// <summary>Relative weights of image, audio, video and interleaved documents.</summary>
    public double ImageWeight { get; init; } = 0.4;

    public double AudioWeight { get; init; } = 0.2;

    public double VideoWeight { get; init; } = 0.2;

    public double InterleavedWeight { get; init; } = 0.2;
}
