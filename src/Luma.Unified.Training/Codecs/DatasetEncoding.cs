using Luma.Unified.Abstractions;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Modalities.Audio;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using Luma.Unified.Modalities.Video;
using Luma.Unified.Runtime;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Codecs;

/// <summary>
/// <c>luma data encode</c>: copies a dataset, replacing each image, video and audio segment by what its (frozen)
/// codec makes of it — VAE latent means (<c>latents-f32</c>) or audio codes (<c>codes-i16</c>) — so training reads
/// codec outputs instead of running the encoders every step. Segments without a codec are copied as they are.
/// </summary>
public static class DatasetEncoding
{
    /// <summary>Encodes <paramref name="input"/> into <paramref name="output"/>; <paramref name="progress"/> gets documents done.</summary>
    public static async Task<DatasetManifest> EncodeAsync(
        string input, string output, string? imageCodec, string? videoCodec, string? audioCodec, long shardBytes, int rowGroupRows,
        IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        if (imageCodec is null && videoCodec is null && audioCodec is null)
        {
            throw new ArgumentException("give at least one of --image-codec, --video-codec, --audio-codec");
        }
        TorchRuntime.EnsureLoaded();
        var dataset = ShardedDataset.Open(input);
        var image = imageCodec is null ? default : CodecStore.LoadImageVae(imageCodec);
        var video = videoCodec is null ? default : CodecStore.LoadVideoVae(videoCodec);
        var audio = audioCodec is null ? default : CodecStore.LoadAudioCodec(audioCodec);
        var writer = new DatasetWriter(output, shardBytes, rowGroupRows, $"luma data encode {Path.GetFileName(Path.GetFullPath(input))}");
        await foreach (var (shard, row, document) in dataset.ReadAllAsync(cancel))
        {
            for (var s = 0; s < document.Segments.Count; s++)
            {
                var segment = document.Segments[s];
                try
                {
                    document.Segments[s] = segment.Modality switch
                    {
                        Segments.Image when image.Vae is not null => EncodeImage(image.Vae, image.Info, segment, imageCodec!),
                        Segments.Video when video.Vae is not null => EncodeVideo(video.Vae, video.Info, segment, videoCodec!),
                        Segments.Audio when audio.Codec is not null => EncodeAudio(audio.Codec, audio.Info, segment, audioCodec!),
                        _ => segment,
                    };
                }
                catch (Exception e) when (e is InvalidDataException or ArgumentException)
                {
                    throw new InvalidDataException($"{dataset.Manifest.Shards[shard].File} row {row}: document '{document.Id}' segment {s} ({segment.Modality}): {e.Message}", e);
                }
            }
            await writer.AddAsync(document, cancel);
            progress?.Report(writer.Documents);
        }
        return await writer.CompleteAsync(cancel);
    }

    private static SegmentRecord EncodeImage(ImageVae vae, CodecInfo info, SegmentRecord segment, string codec)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var latents = vae.Encode(ImageTensors.Stack([SegmentDecoder.Decode(segment).Image!], info.ImageSize!.Value)).Mean[0];
        return Latents(latents, segment.Modality, codec, info.ScalingFactor);
    }

    private static SegmentRecord EncodeVideo(VideoVae vae, CodecInfo info, SegmentRecord segment, string codec)
    {
        var clip = SegmentDecoder.Decode(segment).Video!;
        vae.Shape.LatentFrames(clip.Frames.Count);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var frames = ImageTensors.Stack([.. clip.Frames], info.ImageSize!.Value).permute(1, 0, 2, 3).unsqueeze(0);
        return Latents(vae.Encode(frames).Mean[0], segment.Modality, codec, info.ScalingFactor);
    }

    private static SegmentRecord EncodeAudio(AudioCodec model, CodecInfo info, SegmentRecord segment, string codec)
    {
        var clip = SegmentDecoder.Decode(segment).Audio!;
        if (clip.SampleRate != info.SampleRate)
        {
            throw new InvalidDataException($"audio is sampled at {clip.SampleRate} Hz; the codec works at {info.SampleRate} Hz");
        }
        var length = clip.Samples.Length / model.Shape.Hop * model.Shape.Hop;
        if (length == 0)
        {
            throw new InvalidDataException($"audio is shorter than one code frame ({model.Shape.Hop} samples)");
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var codes = model.Encode(tensor(clip.Samples.AsSpan(0, length).ToArray(), [1, 1, length]))[0];   // [q, t]
        var values = codes.to(ScalarType.Int32).data<int>().ToArray();
        return new EncodedMedia(segment.Modality, [.. codes.shape.Select(d => (int)d)], null, values).ToSegment(segment.Modality, Path.GetFileName(Path.GetFullPath(codec)), null);
    }

    private static SegmentRecord Latents(Tensor latents, string modality, string codec, double? scalingFactor)
    {
        var values = latents.contiguous().data<float>().ToArray();
        return new EncodedMedia(modality, [.. latents.shape.Select(d => (int)d)], values, null).ToSegment(modality, Path.GetFileName(Path.GetFullPath(codec)), scalingFactor);
    }
}
