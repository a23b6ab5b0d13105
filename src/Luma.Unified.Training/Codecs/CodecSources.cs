using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;

namespace Luma.Unified.Training.Codecs;

/// <summary>What codec trainers share about their data: reading one modality's segments from the configured datasets, and the held-out split.</summary>
public static class CodecSources
{
    /// <summary>
    /// Every segment of <paramref name="modality"/> in <c>data.paths</c>, keyed "documentId/segment" and located
    /// "PATH row N"; a path that is not a dataset is a config error naming <c>data.paths[i]</c>.
    /// </summary>
    public static IEnumerable<(string Key, string Location, SegmentRecord Segment)> Segments(CodecDataOptions data, string modality, string configSource)
    {
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
                    if (document.Segments[s].Modality == modality)
                    {
                        yield return ($"{document.Id}/{s}", $"{data.Paths[p]} row {row}", document.Segments[s]);
                    }
                }
            }
        }
    }

    /// <summary>
    /// (training, held-out) items by a stable hash of their keys; either side empty is a config error that says
    /// what was found.
    /// </summary>
    public static (List<T> Train, List<T> Validation) Split<T>(IReadOnlyList<(string Key, T Item)> items, double fraction, string what, string configSource)
    {
        var validation = items.Where(i => DocumentFilter.IsHeldOut(i.Key, fraction)).Select(i => i.Item).ToList();
        var train = items.Where(i => !DocumentFilter.IsHeldOut(i.Key, fraction)).Select(i => i.Item).ToList();
        if (train.Count == 0 || validation.Count == 0)
        {
            throw ConfigException.At(configSource, "data", null, $"found {train.Count} training and {validation.Count} held-out {what}; a codec needs both (more data, or another validation_fraction).");
        }
        return (train, validation);
    }
}
