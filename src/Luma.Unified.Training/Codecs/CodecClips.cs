using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Training.Codecs;

/// <summary>The audio clips an audio codec trains and is measured on (mono samples at the configured rate).</summary>
public sealed record CodecClips(IReadOnlyList<float[]> Train, IReadOnlyList<float[]> Validation)
{
    /// <summary>
    /// Every audio segment of the configured datasets — or, with no paths, of a generated shapes world (tones) —
    /// split by a stable hash of "documentId/segment". Clips at another sample rate are a config error.
    /// </summary>
    public static CodecClips Load(CodecDataOptions data, long seed, string configSource)
    {
        var clips = new List<(string Key, AudioClip Clip)>();
        if (data.Paths.Count == 0)
        {
            var world = new ShapesWorld(seed, new ShapesWorldOptions { SampleRate = data.SampleRate, ImageWeight = 0, AudioWeight = 1, VideoWeight = 0, InterleavedWeight = 0 });
            var generated = new (string, AudioClip)[data.SynthClips];
            Parallel.For(0, data.SynthClips, i =>
            {
                var document = world.Document(i);
                generated[i] = ($"{document.Id}/0", SegmentDecoder.Decode(document.Segments.First(s => s.Modality == Segments.Audio)).Audio!);
            });
            clips.AddRange(generated);
        }
        foreach (var (key, location, segment) in CodecSources.Segments(data, Segments.Audio, configSource))
        {
            var clip = SegmentDecoder.Decode(segment).Audio!;
            if (clip.SampleRate != data.SampleRate)
            {
                throw ConfigException.At(configSource, "data.sample_rate", data.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{location} is sampled at {clip.SampleRate} Hz; resample the data or set data.sample_rate to match.");
            }
            clips.Add((key, clip));
        }
        var (train, validation) = CodecSources.Split(clips.Select(c => (c.Key, c.Clip.Samples)).ToList(), data.ValidationFraction, "audio clips", configSource);
        return new CodecClips(train, validation);
    }
}
