using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Building;

/// <summary>A sampled row, decoded: its id, location and one description per segment.</summary>
public sealed record InspectedRow(string Shard, long Row, string Id, IReadOnlyList<string> Segments);

/// <summary>Reads the first rows of a dataset for people: descriptions for a table, or files to open.</summary>
public static class DatasetInspector
{
    /// <summary>The first <paramref name="rows"/> documents, decoded and described.</summary>
    public static async Task<IReadOnlyList<InspectedRow>> SampleAsync(ShardedDataset dataset, int rows, CancellationToken cancel = default)
    {
        var result = new List<InspectedRow>();
        await foreach (var (shard, row, document) in dataset.ReadAllAsync(cancel))
        {
            if (result.Count == rows)
            {
                break;
            }
            var described = document.Segments.Select(s =>
            {
                try
                {
                    return SegmentDecoder.Decode(s).Describe();
                }
                catch (InvalidDataException e)
                {
                    return $"{s.Modality}: UNDECODABLE ({e.Message})";
                }
            }).ToList();
            result.Add(new InspectedRow(dataset.Manifest.Shards[shard].File, row, document.Id, described));
        }
        return result;
    }

    /// <summary>
    /// Writes the first <paramref name="rows"/> documents to <paramref name="outDirectory"/> as files a person can
    /// open: <c>NNNN-S.txt</c>, <c>.png</c> (images, and video frame strips), <c>.wav</c>. Returns the files written.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DumpAsync(ShardedDataset dataset, string outDirectory, int rows, CancellationToken cancel = default)
    {
        Directory.CreateDirectory(outDirectory);
        var written = new List<string>();
        var index = 0;
        await foreach (var (_, _, document) in dataset.ReadAllAsync(cancel))
        {
            if (index == rows)
            {
                break;
            }
            for (var s = 0; s < document.Segments.Count; s++)
            {
                var segment = document.Segments[s];
                written.Add(await SegmentFiles.WriteAsync(segment, Path.Combine(outDirectory, $"{index:D4}-{s}-{segment.Modality}"), cancel));
            }
            index++;
        }
        return written;
    }
}
