using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
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
        for (var p = 0; p < data.Paths.Count; p++)
        {
            ShardedDataset dataset;
            try
            {
                dataset = ShardedDataset.Open(data.Paths[p]);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                throw ConfigException.At(configSource, $"data.paths[{p}]", data.Paths[p], e.Message);
            }
            foreach (var (_, row, document) in dataset.ReadAllAsync().ToBlockingEnumerable())
            {
                for (var s = 0; s < document.Segments.Count; s++)
                {
                    if (document.Segments[s].Modality != Segments.Audio)
                    {
                        continue;
                    }
                    var clip = SegmentDecoder.Decode(document.Segments[s]).Audio!;
                    if (clip.SampleRate != data.SampleRate)
                    {
                        throw ConfigException.At(configSource, "data.sample_rate", data.SampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            $"{data.Paths[p]} row {row} is sampled at {clip.SampleRate} Hz; resample the data or set data.sample_rate to match.");
                    }
                    clips.Add(($"{document.Id}/{s}", clip));
                }
            }
        }
        var validation = clips.Where(c => DocumentFilter.IsHeldOut(c.Key, data.ValidationFraction)).Select(c => c.Clip.Samples).ToList();
        var train = clips.Where(c => !DocumentFilter.IsHeldOut(c.Key, data.ValidationFraction)).Select(c => c.Clip.Samples).ToList();
        if (train.Count == 0 || validation.Count == 0)
        {
            throw ConfigException.At(configSource, "data", null, $"found {train.Count} training and {validation.Count} held-out audio clips; an audio codec needs both.");
        }
        return new CodecClips(train, validation);
    }
}
