using Luma.Unified.Abstractions;
using Luma.Unified.Data.Corpus;
using static TorchSharp.torch;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// Streams documents in a seeded per-epoch shuffle, tokenizes them as <c>&lt;|bos|&gt; text &lt;|eos|&gt;</c>,
/// packs them back to back and cuts rows of <c>seq + 1</c> tokens (inputs and shifted targets) with stride
/// <c>seq</c>, so no token is wasted on padding. Row k of an epoch belongs to rank <c>k mod world</c>: ranks
/// see disjoint rows that together cover the stream. The stream is a pure function of (seed, epoch), so a
/// <see cref="LoaderPosition"/> restores it exactly by replaying tokenization (microseconds per document).
/// </summary>
public sealed class PackedTokenLoader
{
    private readonly IDocumentSource _source;
    private readonly ITokenizer _tokenizer;
    private readonly IReadOnlyList<int> _documents;
    private readonly int _seqLen;
    private readonly int _batchSize;
    private readonly long _seed;
    private readonly int _rank;
    private readonly int _worldSize;
    private readonly int _bos;
    private readonly int _eos;

    // The packed stream of the current epoch: tokens not yet cut into rows, with their document bookkeeping.
    private readonly List<(int Token, long Document, int Position)> _pending = [];
    private readonly List<string> _pendingDocumentNames = [];
    private int[] _order = [];
    private int _nextDocument;
    private long _documentSerial;
    private int _epoch;
    private long _row;

    /// <summary>A loader over <paramref name="documents"/> (indices into <paramref name="source"/>).</summary>
    public PackedTokenLoader(
        IDocumentSource source, ITokenizer tokenizer, IReadOnlyList<int> documents,
        int seqLen, int batchSize, long seed, int rank = 0, int worldSize = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(seqLen, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        if (documents.Count == 0)
        {
            throw new ArgumentException("The loader needs at least one document.", nameof(documents));
        }
        (_source, _tokenizer, _documents, _seqLen, _batchSize, _seed, _rank, _worldSize) =
            (source, tokenizer, documents, seqLen, batchSize, seed, rank, worldSize);
        _bos = tokenizer.SpecialTokenId(SpecialTokens.BeginDocument);
        _eos = tokenizer.SpecialTokenId(SpecialTokens.EndDocument);
        StartEpoch(0);
    }

    /// <summary>The position to save; <see cref="Restore"/> continues from it.</summary>
    public LoaderPosition Position => new(_epoch, _row);

    /// <summary>Rewinds or fast-forwards to <paramref name="position"/>.</summary>
    public void Restore(LoaderPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        StartEpoch(position.Epoch);
        while (_row < position.Row)
        {
            NextStreamRow();
        }
    }

    /// <summary>The next <c>[batch, seq]</c> micro-batch of this rank, on <paramref name="device"/>.</summary>
    public TokenBatch Next(Device device)
    {
        var inputs = new long[_batchSize * _seqLen];
        var targets = new long[inputs.Length];
        var positions = new long[inputs.Length];
        var documentIds = new long[inputs.Length];
        var names = new SortedSet<string>(StringComparer.Ordinal);
        for (var b = 0; b < _batchSize; b++)
        {
            var (row, rowNames) = NextRowOfThisRank();
            names.UnionWith(rowNames);
            var first = row[0];
            for (var t = 0; t < _seqLen; t++)
            {
                var i = b * _seqLen + t;
                var (token, document, position) = row[t];
                inputs[i] = token;
                targets[i] = row[t + 1].Token;
                // A document that began in an earlier row restarts its positions here, as it does for attention.
                positions[i] = document == first.Document ? position - first.Position : position;
                documentIds[i] = document;
            }
        }
        long[] shape = [_batchSize, _seqLen];
        return new TokenBatch(
            tensor(inputs, shape).to(device),
            tensor(targets, shape).to(device),
            tensor(positions, shape).to(device),
            tensor(documentIds, shape).to(device),
            [.. names]);
    }

    private ((int Token, long Document, int Position)[] Row, string[] Names) NextRowOfThisRank()
    {
        while (true)
        {
            var isMine = _row % _worldSize == _rank;
            var row = NextStreamRow();
            if (isMine)
            {
                return row;
            }
        }
    }

    private ((int Token, long Document, int Position)[] Row, string[] Names) NextStreamRow()
    {
        while (_pending.Count < _seqLen + 1)
        {
            if (_nextDocument == _order.Length)
            {
                // The epoch's tail that does not fill a row is dropped: at most seq tokens per epoch.
                StartEpoch(_epoch + 1);
            }
            AppendDocument(_order[_nextDocument++]);
        }
        var row = _pending.GetRange(0, _seqLen + 1).ToArray();
        // _pendingDocumentNames[k] names document serial _pending[0].Document + k.
        var names = _pendingDocumentNames.Take((int)(row[^1].Document - row[0].Document + 1)).ToArray();
        // Rows overlap by one token: the last target of a row is the first input of the next.
        var consumedDocuments = (int)(_pending[_seqLen].Document - _pending[0].Document);
        _pending.RemoveRange(0, _seqLen);
        _pendingDocumentNames.RemoveRange(0, consumedDocuments);
        _row++;
        return (row, names);
    }

    private void AppendDocument(int index)
    {
        var document = _source.Get(index);
        var serial = _documentSerial++;
        var position = 0;
        _pending.Add((_bos, serial, position++));
        foreach (var token in _tokenizer.Encode(document.Text))
        {
            _pending.Add((token, serial, position++));
        }
        _pending.Add((_eos, serial, position));
        _pendingDocumentNames.Add(document.Id);
    }

    private void StartEpoch(int epoch)
    {
        _epoch = epoch;
        _row = 0;
        _nextDocument = 0;
        _documentSerial = 0;
        _pending.Clear();
        _pendingDocumentNames.Clear();
        _order = [.. _documents];
        new Random(SeedMixer.Mix(_seed, epoch)).Shuffle(_order);
    }
}
