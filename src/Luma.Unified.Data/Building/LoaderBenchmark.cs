using System.Diagnostics;
using Luma.Unified.Abstractions;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Data.Building;

/// <summary>Throughput of the input pipeline on one kind of document with a given number of decode workers.</summary>
/// <param name="Kind">"image" or "audio".</param>
/// <param name="Workers">Decode threads.</param>
/// <param name="Documents">Documents read, decoded and packed.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="EncodedMegabytes">Stored (encoded) payload read, MiB.</param>
/// <param name="PositionsPerDocument">Sequence positions one document takes after packing.</param>
public sealed record LoaderThroughput(string Kind, int Workers, long Documents, double Seconds, double EncodedMegabytes, double PositionsPerDocument)
{
    public double DocumentsPerSecond => Documents / Seconds;

    public double MegabytesPerSecond => EncodedMegabytes / Seconds;

    public double PositionsPerSecond => Documents * PositionsPerDocument / Seconds;
}

/// <summary>
/// Measures read + decode + pack throughput of the real loader on synthetic datasets it builds first:
/// captioned <c>imageSize</c>² PNG images, and 1-second 16 kHz tones, each with 1 and 2 decode workers.
/// </summary>
public static class LoaderBenchmark
{
    /// <summary>Builds the datasets under <paramref name="workDirectory"/> and measures; <paramref name="report"/> gets each result as it comes.</summary>
    public static async Task<IReadOnlyList<LoaderThroughput>> RunAsync(
        string workDirectory, int documents, int imageSize, ITokenizer tokenizer, IReadOnlyList<IModality> modalities,
        IReadOnlyList<int> workerCounts, Action<LoaderThroughput>? report = null)
    {
        var kinds = new (string Kind, ShapesWorldOptions Options)[]
        {
            ("image", new ShapesWorldOptions { ImageSize = imageSize, ImageWeight = 1, AudioWeight = 0, VideoWeight = 0, InterleavedWeight = 0 }),
            ("audio", new ShapesWorldOptions { ImageWeight = 0, AudioWeight = 1, VideoWeight = 0, InterleavedWeight = 0 }),
        };
        var results = new List<LoaderThroughput>();
        foreach (var (kind, options) in kinds)
        {
            var directory = Path.Combine(workDirectory, kind);
            var manifest = File.Exists(Path.Combine(directory, DatasetManifest.FileName))
                ? DatasetManifest.Load(directory)
                : await ShapesWorldBuilder.BuildAsync(directory, documents, seed: 1, options, shardBytes: 64L << 20, rowGroupRows: 64);
            var megabytes = manifest.Modalities.Values.Sum(m => m.Bytes) / (1024.0 * 1024.0);
            foreach (var workers in workerCounts)
            {
                var result = Measure(kind, directory, manifest.Documents, megabytes, new DocumentEncoder(tokenizer, modalities, new MediaGeometry(), includeMedia: true), workers);
                results.Add(result);
                report?.Invoke(result);
            }
        }
        return results;
    }

    private static LoaderThroughput Measure(string kind, string directory, long documents, double megabytes, DocumentEncoder encoder, int workers)
    {
        var dataset = ShardedDataset.Open(directory);
        var stream = new ShardDocumentStream(dataset, seed: 1, rank: 0, worldSize: 1, windowRowGroups: 4, DocumentFilter.All);
        // One 1024-position row per batch keeps the overshoot past the last new document small.
        using var loader = new DataLoader(new DocumentMixer([stream], [1.0], seed: 1), encoder, rowLength: 1024, batchRows: 1, workers, prefetch: 8, BadDataPolicy.Fail);
        var clock = Stopwatch.StartNew();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Count < documents)
        {
            seen.UnionWith(loader.Next().Rows.SelectMany(r => r.DocumentIds));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        // Positions per document come from encoding the documents once more, outside the timed loop.
        var sizes = new ShardDocumentStream(dataset, seed: 1, rank: 0, worldSize: 1, windowRowGroups: 4, DocumentFilter.All);
        var positions = Enumerable.Range(0, (int)Math.Min(documents, 256)).Average(_ => encoder.Encode(sizes.Next()).Length);
        return new LoaderThroughput(kind, workers, seen.Count, seconds, megabytes * seen.Count / documents, positions);
    }
}
