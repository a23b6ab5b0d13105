using Luma.Unified.Abstractions;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Format;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// Streams a generated, randomly addressable corpus (<see cref="IDocumentSource"/>) like a dataset: each epoch
/// is a seeded permutation of the documents the filter accepts, and rank r of W takes every W-th of it. The
/// whole epoch is one window, so a position is (epoch, 0, offset).
/// </summary>
public sealed class CorpusDocumentStream : IDocumentStream
{
    private readonly IDocumentSource _source;
    private readonly long _seed;
    private readonly int[] _documents;
    private readonly int _rank;
    private readonly int _worldSize;
    private int[] _order = [];
    private int _epoch = -1;
    private int _offset;

    public CorpusDocumentStream(IDocumentSource source, long seed, int rank, int worldSize, Func<string, bool> include)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        (_source, _seed, _rank, _worldSize) = (source, seed, rank, worldSize);
        _documents = [.. Enumerable.Range(0, source.Count).Where(i => include(source.Get(i).Id))];
        if (_documents.Length < worldSize)
        {
            throw new InvalidDataException($"{_documents.Length} of the corpus's {source.Count} documents pass the filter, fewer than the {worldSize} rank(s) reading them (is data.validation_fraction too small for data.documents?).");
        }
        Restore(DocumentPosition.Start);
    }

    /// <inheritdoc/>
    public DocumentPosition Position => new(_epoch, 0, _offset);

    /// <inheritdoc/>
    public void Restore(DocumentPosition position)
    {
        StartEpoch(position.Epoch);
        _offset = position.Offset;
    }

    /// <inheritdoc/>
    public SourcedDocument Next()
    {
        if (_offset >= _order.Length)
        {
            StartEpoch(_epoch + 1);
            _offset = 0;
        }
        var document = _source.Get(_order[_offset++]);
        return new SourcedDocument(new DocumentRecord { Id = document.Id, Segments = [Segments.OfText(document.Text)] }, document.Id);
    }

    private void StartEpoch(int epoch)
    {
        if (epoch == _epoch)
        {
            return;
        }
        _epoch = epoch;
        var permutation = _documents.ToArray();
        new Random(SeedMixer.Mix(_seed, epoch)).Shuffle(permutation);
        _order = [.. permutation.Where((_, index) => index % _worldSize == _rank)];
    }
}
