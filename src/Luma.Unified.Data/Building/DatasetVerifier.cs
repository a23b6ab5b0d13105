using System.Security.Cryptography;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Building;

/// <summary>One thing wrong with a dataset, located by shard and (where it applies) row.</summary>
public sealed record DatasetProblem(string Shard, long? Row, string Reason)
{
    public override string ToString() => Row is { } row ? $"{Shard} row {row}: {Reason}" : $"{Shard}: {Reason}";
}

/// <summary>The outcome of <see cref="DatasetVerifier.VerifyAsync"/>.</summary>
public sealed record VerificationReport(long Documents, long Segments, IReadOnlyList<DatasetProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>
/// Checks a dataset end to end: every shard's size and SHA-256 against the manifest, its row and row-group
/// counts, and that every segment of every row decodes and matches its metadata.
/// </summary>
public static class DatasetVerifier
{
    /// <summary>Verifies <paramref name="directory"/>; <paramref name="progress"/> receives documents checked so far.</summary>
    public static async Task<VerificationReport> VerifyAsync(string directory, IProgress<long>? progress = null, CancellationToken cancel = default)
    {
        var dataset = ShardedDataset.Open(directory);
        var problems = new List<DatasetProblem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long documents = 0, segments = 0;
        for (var shard = 0; shard < dataset.Manifest.Shards.Count; shard++)
        {
            var info = dataset.Manifest.Shards[shard];
            var path = dataset.ShardPath(shard);
            var bytes = new FileInfo(path).Length;
            if (bytes != info.Bytes)
            {
                problems.Add(new(info.File, null, $"size is {bytes} bytes, the manifest says {info.Bytes}"));
            }
            await using (var stream = File.OpenRead(path))
            {
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
                if (sha != info.Sha256)
                {
                    problems.Add(new(info.File, null, $"SHA-256 is {sha}, the manifest says {info.Sha256}"));
                }
            }
            long row = 0;
            for (var group = 0; group < info.RowGroups; group++)
            {
                IList<DocumentRecord> rows;
                try
                {
                    rows = await dataset.ReadRowGroupAsync(shard, group, cancel);
                }
                catch (InvalidDataException e)
                {
                    problems.Add(new(info.File, null, e.Message));
                    break;
                }
                foreach (var document in rows)
                {
                    CheckDocument(info.File, row++, document, ids, problems, ref segments);
                    documents++;
                    progress?.Report(documents);
                }
            }
            if (row != info.Rows && !problems.Any(p => p.Shard == info.File && p.Row is null))
            {
                problems.Add(new(info.File, null, $"holds {row} rows, the manifest says {info.Rows}"));
            }
        }
        return new VerificationReport(documents, segments, problems);
    }

    private static void CheckDocument(string shard, long row, DocumentRecord document, HashSet<string> ids, List<DatasetProblem> problems, ref long segments)
    {
        if (string.IsNullOrEmpty(document.Id))
        {
            problems.Add(new(shard, row, "document without an id"));
        }
        else if (!ids.Add(document.Id))
        {
            problems.Add(new(shard, row, $"document id '{document.Id}' appears twice"));
        }
        if (document.Segments.Count == 0)
        {
            problems.Add(new(shard, row, $"document '{document.Id}' has no segments"));
        }
        for (var s = 0; s < document.Segments.Count; s++)
        {
            segments++;
            try
            {
                SegmentDecoder.Decode(document.Segments[s]);
            }
            catch (InvalidDataException e)
            {
                problems.Add(new(shard, row, $"document '{document.Id}' segment {s} ({document.Segments[s].Modality}): {e.Message}"));
            }
        }
    }
}
