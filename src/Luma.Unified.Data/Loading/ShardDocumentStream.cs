using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Format;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// Streams one rank's documents from a sharded dataset. Each epoch shuffles the shard order (seeded), lists
/// the row groups in that order, and gives rank r of W the row groups r, r+W, r+2W, …: ranks are disjoint and
/// together cover the epoch. Rows are shuffled within windows of <c>windowRowGroups</c> consecutive row groups
/// of the rank (the shuffle buffer), so a <see cref="DocumentPosition"/> (epoch, window, offset) restores by
/// reading one window again. Rows the filter rejects are skipped.
/// </summary>
public sealed class ShardDocumentStream : IDocumentStream
{
    private readonly ShardedDataset _dataset;
    private readonly long _seed;
    private readonly int _rank;
    private readonly int _worldSize;
    private readonly int _windowRowGroups;
    private readonly Func<string, bool> _include;
    private readonly long[][] _rowGroupStarts;
    private (int Shard, int RowGroup)[] _units = [];
    private List<SourcedDocument> _window = [];
    private int _epoch = -1;
    private long _windowIndex;
    private int _offset;

    public ShardDocumentStream(ShardedDataset dataset, long seed, int rank, int worldSize, int windowRowGroups, Func<string, bool> include)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowRowGroups, 1);
        var rowGroups = dataset.Manifest.Shards.Sum(s => s.RowGroups);
        if (rowGroups < worldSize)
        {
            throw new InvalidDataException($"{dataset.Directory} has {rowGroups} row groups, fewer than the {worldSize} ranks that must share them; repack with a smaller --row-group.");
        }
        (_dataset, _seed, _rank, _worldSize, _windowRowGroups, _include) = (dataset, seed, rank, worldSize, windowRowGroups, include);
        _rowGroupStarts = new long[dataset.Manifest.Shards.Count][];
        Restore(DocumentPosition.Start);
    }

    /// <inheritdoc/>
    public DocumentPosition Position => new(_epoch, _windowIndex, _offset);

    /// <inheritdoc/>
    public void Restore(DocumentPosition position)
    {
        StartEpoch(position.Epoch);
        LoadWindow(position.Window);
        _offset = position.Offset;
    }

    /// <inheritdoc/>
    public SourcedDocument Next()
    {
        var emptyWindows = 0;
        while (_offset >= _window.Count)
        {
            // A window can be empty when the filter rejects all of its rows; a whole epoch of them means no data.
            if (++emptyWindows > _units.Length + 1)
            {
                throw new InvalidDataException($"{_dataset.Directory}: rank {_rank} of {_worldSize} finds no documents that pass the filter.");
            }
            var next = _windowIndex + 1;
            if (next * _windowRowGroups >= _units.Length)
            {
                StartEpoch(_epoch + 1);
                next = 0;
            }
            LoadWindow(next);
        }
        return _window[_offset++];
    }

    private void StartEpoch(int epoch)
    {
        if (epoch == _epoch)
        {
            return;
        }
        _epoch = epoch;
        var shards = Enumerable.Range(0, _dataset.Manifest.Shards.Count).ToArray();
        new Random(SeedMixer.Mix(_seed, epoch)).Shuffle(shards);
        _units = [.. shards
            .SelectMany(s => Enumerable.Range(0, _dataset.Manifest.Shards[s].RowGroups).Select(g => (s, g)))
            .Where((_, index) => index % _worldSize == _rank)];
    }

    private void LoadWindow(long window)
    {
        _windowIndex = window;
        _offset = 0;
        _window = [];
        foreach (var (shard, group) in _units.Skip((int)(window * _windowRowGroups)).Take(_windowRowGroups))
        {
            var rows = _dataset.ReadRowGroupAsync(shard, group).GetAwaiter().GetResult();
            var start = RowGroupStart(shard, group);
            var file = _dataset.Manifest.Shards[shard].File;
            _window.AddRange(rows.Select((document, i) => new SourcedDocument(document, $"{file} row {start + i}")));
        }
        _window = [.. _window.Where(d => _include(d.Document.Id))];
        // Seeded per (epoch, window, rank) so every rank shuffles its own windows independently and reproducibly.
        var order = new Random(SeedMixer.Mix(SeedMixer.Mix(_seed, _epoch), window * _worldSize + _rank));
        var shuffled = _window.ToArray();
        order.Shuffle(shuffled);
        _window = [.. shuffled];
    }

    private long RowGroupStart(int shard, int group)
    {
        _rowGroupStarts[shard] ??= _dataset.RowGroupStartsAsync(shard).GetAwaiter().GetResult();
        return _rowGroupStarts[shard][group];
    }
}
