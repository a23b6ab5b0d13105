using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Audio;
using Luma.Unified.Modalities.Codecs;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Media;

/// <summary>
/// Audio through a frozen audio codec, for the autoregressive head: the codes of each frame, codebook by
/// codebook, become tokens — codebook q's code c is token q·K + c — so the modality's vocabulary is
/// codebooks × codebook size. Pre-encoded segments (<c>codes-i16</c>) are used as stored; decoding writes WAV.
/// </summary>
public sealed class AudioModality(AudioCodec codec, CodecInfo info) : IModality
{
    private readonly int _codebooks = codec.Shape.Codebooks;
    private readonly int _size = codec.Shape.CodebookSize;

    /// <inheritdoc/>
    public string Name => Segments.Audio;

    /// <inheritdoc/>
    public ModalityHead Head => ModalityHead.Autoregressive;

    /// <inheritdoc/>
    public int VocabSize => _codebooks * _size;

    /// <summary>Codebooks per frame: each frame is this many consecutive tokens, codebook 0 first.</summary>
    public int Codebooks => _codebooks;

    /// <summary>Codes per codebook.</summary>
    public int CodebookSize => _size;

    /// <summary>Codec frames per second of audio.</summary>
    public double FramesPerSecond => (double)info.SampleRate!.Value / codec.Shape.Hop;

    /// <inheritdoc/>
    public ModalityInput Encode(SegmentRecord segment)
    {
        var media = SegmentDecoder.Decode(segment);
        int[] codes;
        int frames;
        if (media.Encoded is { Codes: not null } stored)
        {
            (codes, frames) = (stored.Codes, stored.Shape[1]);
        }
        else
        {
            var clip = media.Audio ?? throw new InvalidDataException("an audio segment must hold audio or audio codes");
            if (clip.SampleRate != info.SampleRate)
            {
                throw new InvalidDataException($"audio is sampled at {clip.SampleRate} Hz; the codec works at {info.SampleRate} Hz");
            }
            var length = clip.Samples.Length / codec.Shape.Hop * codec.Shape.Hop;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var encoded = codec.Encode(tensor(clip.Samples.AsSpan(0, length).ToArray(), [1, 1, length]))[0];  // [q, t]
            (codes, frames) = (encoded.to(ScalarType.Int32).data<int>().ToArray(), (int)encoded.shape[1]);
        }
        var tokens = new int[frames * _codebooks];
        for (var f = 0; f < frames; f++)
        {
            for (var q = 0; q < _codebooks; q++)
            {
                tokens[f * _codebooks + q] = q * _size + codes[q * frames + f];
            }
        }
        return ModalityInput.FromTokens(tokens);
    }

    /// <inheritdoc/>
    public SegmentRecord Decode(ModalityInput output)
    {
        var tokens = output.Tokens ?? throw new ArgumentException("audio output needs tokens", nameof(output));
        var frames = tokens.Count / _codebooks;
        var codes = new long[_codebooks * frames];
        for (var f = 0; f < frames; f++)
        {
            for (var q = 0; q < _codebooks; q++)
            {
                codes[q * frames + f] = tokens[f * _codebooks + q] - q * _size;
            }
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var waveform = codec.Decode(tensor(codes, [1, _codebooks, frames])).reshape(-1).data<float>().ToArray();
        return Segments.OfAudio(new AudioClip(info.SampleRate!.Value, waveform));
    }
}
