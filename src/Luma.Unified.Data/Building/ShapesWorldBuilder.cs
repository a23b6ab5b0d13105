using Luma.Unified.Data.Format;
using Luma.Unified.Data.Synthesis;

namespace Luma.Unified.Data.Building;

/// <summary>Generates the shapes world into a dataset directory: documents rendered in parallel, written in order.</summary>
public static class ShapesWorldBuilder
{
    /// <summary>Writes <paramref name="documents"/> documents to <paramref name="directory"/>; <paramref name="progress"/> gets the count written.</summary>
    public static async Task<DatasetManifest> BuildAsync(
        string directory, long documents, long seed, ShapesWorldOptions options, long shardBytes, int rowGroupRows,
        IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(documents, 1);
        var world = new ShapesWorld(seed, options);
        var writer = new DatasetWriter(directory, shardBytes, rowGroupRows,
            FormattableString.Invariant($"luma data synth --documents {documents} --seed {seed} --image-size {options.ImageSize}"));
        for (long start = 0; start < documents; start += rowGroupRows)
        {
            var count = (int)Math.Min(rowGroupRows, documents - start);
            var batch = new DocumentRecord[count];
            // Rendering dominates (SkiaSharp + PNG); each document depends only on (seed, index), so order is free.
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancel }, i => batch[i] = world.Document(start + i));
            foreach (var document in batch)
            {
                await writer.AddAsync(document, cancel);
            }
            progress?.Report(start + count);
        }
        return await writer.CompleteAsync(cancel);
    }
}
