using System.Security.Cryptography;
using Parquet;
using Parquet.Serialization;

namespace Luma.Unified.Data.Format;

/// <summary>
/// Writes documents into Parquet shards of about <c>targetShardBytes</c>, in row groups of
/// <c>rowGroupRows</c> documents, then the manifest. A shard is written under a temporary name and renamed
/// when complete; the manifest comes last, so an interrupted build never looks like a dataset.
/// </summary>
public sealed class DatasetWriter
{
    private readonly string _directory;
    private readonly long _targetShardBytes;
    private readonly int _rowGroupRows;
    private readonly string _createdBy;
    private readonly List<DocumentRecord> _pending = [];
    private readonly List<ShardInfo> _shards = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Documents, long Segments, long Bytes)> _modalities = new(StringComparer.Ordinal);
    private string? _openShard;
    private long _openRows;
    private int _openRowGroups;

    /// <summary>A writer into <paramref name="directory"/>, which must not already hold a dataset.</summary>
    public DatasetWriter(string directory, long targetShardBytes, int rowGroupRows, string createdBy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetShardBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        if (File.Exists(Path.Combine(directory, DatasetManifest.FileName)))
        {
            throw new IOException($"{directory} already holds a dataset ({DatasetManifest.FileName}); choose another output directory or delete it first.");
        }
        Directory.CreateDirectory(directory);
        (_directory, _targetShardBytes, _rowGroupRows, _createdBy) = (directory, targetShardBytes, rowGroupRows, createdBy);
    }

    /// <summary>Documents accepted so far.</summary>
    public long Documents => _ids.Count;

    /// <summary>Adds a document; its id must be new to this dataset.</summary>
    public async Task AddAsync(DocumentRecord document, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (string.IsNullOrEmpty(document.Id))
        {
            throw new ArgumentException("Every document needs a non-empty id.", nameof(document));
        }
        if (!_ids.Add(document.Id))
        {
            throw new ArgumentException($"Document id '{document.Id}' appears twice.", nameof(document));
        }
        foreach (var group in document.Segments.GroupBy(s => s.Modality))
        {
            var bytes = group.Sum(s => (long)(s.Data?.Length ?? System.Text.Encoding.UTF8.GetByteCount(s.Text ?? "")));
            var (documents, segments, total) = _modalities.GetValueOrDefault(group.Key);
            _modalities[group.Key] = (documents + 1, segments + group.Count(), total + bytes);
        }
        _pending.Add(document);
        if (_pending.Count >= _rowGroupRows)
        {
            await FlushRowGroupAsync(cancel);
        }
    }

    /// <summary>Writes what is pending, closes the last shard and writes the manifest.</summary>
    public async Task<DatasetManifest> CompleteAsync(CancellationToken cancel = default)
    {
        await FlushRowGroupAsync(cancel);
        await CloseShardAsync(cancel);
        var manifest = new DatasetManifest(
            DatasetManifest.FormatName, DatasetManifest.CurrentVersion, DateTimeOffset.UtcNow, _createdBy, Documents,
            _shards.ToList(),
            _modalities.OrderBy(m => m.Key, StringComparer.Ordinal).ToDictionary(m => m.Key, m => new ModalityStats(m.Value.Documents, m.Value.Segments, m.Value.Bytes)));
        manifest.Save(_directory);
        return manifest;
    }

    private async Task FlushRowGroupAsync(CancellationToken cancel)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        _openShard ??= Path.Combine(_directory, $"shard-{_shards.Count:D5}.parquet.tmp");
        var append = File.Exists(_openShard);
        await using (var stream = new FileStream(_openShard, append ? FileMode.Open : FileMode.CreateNew, FileAccess.ReadWrite))
        {
            await ParquetSerializer.SerializeAsync(_pending, stream, new ParquetOptions { Append = append }, cancellationToken: cancel);
        }
        _openRows += _pending.Count;
        _openRowGroups++;
        _pending.Clear();
        if (new FileInfo(_openShard).Length >= _targetShardBytes)
        {
            await CloseShardAsync(cancel);
        }
    }

    private async Task CloseShardAsync(CancellationToken cancel)
    {
        if (_openShard is null)
        {
            return;
        }
        var final = _openShard[..^".tmp".Length];
        File.Move(_openShard, final);
        string sha;
        await using (var stream = File.OpenRead(final))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
        }
        _shards.Add(new ShardInfo(Path.GetFileName(final), _openRows, _openRowGroups, new FileInfo(final).Length, sha));
        (_openShard, _openRows, _openRowGroups) = (null, 0, 0);
    }
}
