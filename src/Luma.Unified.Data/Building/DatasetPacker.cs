using Luma.Unified.Data.Format;

namespace Luma.Unified.Data.Building;

/// <summary>A document to pack: where it comes from (for errors) and how to build it (run on a worker thread).</summary>
public sealed record PackItem(string Location, Func<DocumentRecord> Build);

/// <summary>
/// The shared back end of <c>luma data pack</c>: builds documents in parallel (decoding every media item),
/// writes them in their original order into shards, and stops at the first batch with a bad item — listing
/// every bad item of that batch by location — removing the half-written output it created.
/// </summary>
public static class DatasetPacker
{
    /// <summary>Packs <paramref name="items"/> into <paramref name="outDirectory"/> with <paramref name="workers"/> threads.</summary>
    public static async Task<DatasetManifest> PackAsync(
        IEnumerable<PackItem> items, string outDirectory, long shardBytes, int rowGroupRows, int workers, string createdBy,
        IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        var existed = Directory.Exists(outDirectory);
        var writer = new DatasetWriter(outDirectory, shardBytes, rowGroupRows, createdBy);
        try
        {
            foreach (var batch in items.Chunk(rowGroupRows))
            {
                var documents = new DocumentRecord?[batch.Length];
                var problems = new string?[batch.Length];
                Parallel.For(0, batch.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancel }, i =>
                {
                    try
                    {
                        documents[i] = batch[i].Build();
                    }
                    catch (InvalidDataException e)
                    {
                        problems[i] = $"{batch[i].Location}: {e.Message}";
                    }
                });
                var bad = problems.Where(p => p is not null).ToList();
                if (bad.Count > 0)
                {
                    throw new InvalidDataException(string.Join(Environment.NewLine, bad));
                }
                for (var i = 0; i < batch.Length; i++)
                {
                    try
                    {
                        await writer.AddAsync(documents[i]!, cancel);
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidDataException($"{batch[i].Location}: {e.Message}", e);
                    }
                }
                progress?.Report(writer.Documents);
            }
            if (writer.Documents == 0)
            {
                throw new InvalidDataException("there is nothing to pack: the input has no documents.");
            }
            return await writer.CompleteAsync(cancel);
        }
        catch
        {
            if (!existed && Directory.Exists(outDirectory))
            {
                Directory.Delete(outDirectory, recursive: true);
            }
            throw;
        }
    }
}
