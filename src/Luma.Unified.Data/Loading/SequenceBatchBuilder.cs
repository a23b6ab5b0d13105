using Luma.Unified.Abstractions;
using static TorchSharp.torch;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// Turns packed rows into a <see cref="SequenceBatch"/>. A position's target is the next position's token when
/// both are tokens of the same document in the row; otherwise (document end, row end, padding, media) it is -100.
/// A media segment of k-D latents (<see cref="ModalityInput"/> with coordinates) starting at position p gets
/// rotary positions (p, p + row, p + column) for images and (p + frame, p + row, p + column) for video, and the
/// document's position counter continues after its largest extent. Padding positions get document ids of their
/// own, so they attend to nothing but themselves.
/// </summary>
public static class SequenceBatchBuilder
{
    /// <summary>Target value that cross-entropy ignores.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>The batch for <paramref name="rows"/> (all of one length) on <paramref name="device"/>.</summary>
    public static SequenceBatch Build(IReadOnlyList<PackedRow> rows, Device device, MediaPolicy? policy = null)
    {
        policy ??= MediaPolicy.Deterministic;
        var length = rows[0].Length;
        var count = rows.Count * length;
        var inputs = new long[count];
        var targets = new long[count];
        var positions = new long[count * 3];
        var documents = new long[count];
        var spans = new long[count];
        var segments = new long[count];
        var blind = new bool[count];
        var starts = new bool[count];
        Array.Fill(targets, IgnoreIndex);
        Array.Fill(spans, -1);
        Array.Fill(segments, -1);
        var media = new Dictionary<string, MediaCollector>();
        var (nextSpan, nextSegment) = (0L, 0L);
        for (var b = 0; b < rows.Count; b++)
        {
            var row = rows[b];
            var rowStart = b * length;
            for (var t = 0; t < length; t++)
            {
                documents[rowStart + t] = -1 - t; // padding: a group of its own
            }
            var nextPosition = new Dictionary<int, long>();
            var previousText = -1; // index of the last token position, if it directly precedes
            var previousDocument = -1;
            for (var pieceIndex = 0; pieceIndex < row.Pieces.Count; pieceIndex++)
            {
                var piece = row.Pieces[pieceIndex];
                var first = rowStart + piece.Offset;
                if (!nextPosition.ContainsKey(piece.Document))
                {
                    starts[first] = true;
                }
                var p = nextPosition.GetValueOrDefault(piece.Document);
                for (var i = 0; i < piece.Length; i++)
                {
                    documents[first + i] = piece.Document;
                }
                if (piece.Tokens is { } tokens)
                {
                    for (var i = 0; i < piece.Length; i++)
                    {
                        var at = first + i;
                        inputs[at] = tokens[i];
                        SetPosition(positions, at, p + i, p + i, p + i);
                        if (previousText == at - 1 && previousDocument == piece.Document)
                        {
                            targets[at - 1] = tokens[i];
                        }
                        (previousText, previousDocument) = (at, piece.Document);
                    }
                    nextPosition[piece.Document] = p + piece.Length;
                    continue;
                }
                previousText = -1;
                if (piece.Payload is not ModalityInput { Latents: not null } latent)
                {
                    throw new InvalidDataException($"document '{piece.DocumentId}': a {piece.Modality} segment reached the model without latents (its modality must encode it).");
                }
                var collector = media.TryGetValue(piece.Modality, out var c) ? c : media[piece.Modality] = new MediaCollector(latent.LatentDim);
                var conditioned = LaterContentFollows(row, pieceIndex);
                // Beyond <|bos|> and its start marker there is context (a caption) to drop.
                var dropCondition = piece.Offset > row.Pieces.First(q => q.Document == piece.Document).Offset + 2 && policy.DropCondition();
                var segment = nextSegment++;
                var rank = latent.CoordinateRank;
                var lastFrame = rank == 3 ? MaxCoordinate(latent, 0) : 0;
                var extent = 1L;
                var groupOfFrame = new Dictionary<int, long>();
                for (var i = 0; i < piece.Length; i++)
                {
                    var at = first + i;
                    var coordinate = latent.Coordinates.AsSpan(i * rank, rank);
                    // Images are one span; video frames (the first of three coordinates) are a span each.
                    var frame = rank == 3 ? coordinate[0] : 0;
                    if (!groupOfFrame.TryGetValue(frame, out var span))
                    {
                        span = groupOfFrame[frame] = nextSpan++;
                        var laterFramesFollow = frame < lastFrame;
                        collector.AddGroup(!((conditioned || laterFramesFollow) && policy.KeepClean()));
                    }
                    var (temporal, rowAt, column) = rank switch
                    {
                        3 => (p + coordinate[0], p + coordinate[1], p + coordinate[2]),
                        2 => (p, p + coordinate[0], p + coordinate[1]),
                        _ => (p + coordinate[0], p + coordinate[0], p + coordinate[0]),
                    };
                    SetPosition(positions, at, temporal, rowAt, column);
                    extent = Math.Max(extent, Math.Max(temporal, Math.Max(rowAt, column)) - p + 1);
                    spans[at] = span;
                    segments[at] = segment;
                    blind[at] = dropCondition;
                    collector.Add(latent.Latents.AsSpan(i * latent.LatentDim, latent.LatentDim), at);
                }
                nextPosition[piece.Document] = p + extent;
            }
        }
        long[] shape = [rows.Count, length];
        return new SequenceBatch(
            tensor(inputs, shape).to(device),
            tensor(targets, shape).to(device),
            tensor(positions, [rows.Count, length, 3]).to(device),
            tensor(documents, shape).to(device),
            tensor(spans, shape).to(device),
            tensor(segments, shape).to(device),
            tensor(blind, shape).to(device),
            tensor(starts, shape).to(device),
            [.. media.Select(m => m.Value.Build(m.Key, device))],
            [.. rows.SelectMany(r => r.DocumentIds).Distinct()]);
    }

    private static void SetPosition(long[] positions, int at, long temporal, long row, long column) =>
        (positions[3 * at], positions[3 * at + 1], positions[3 * at + 2]) = (temporal, row, column);

    private static int MaxCoordinate(ModalityInput input, int axis)
    {
        var max = 0;
        for (var i = 0; i < input.Length; i++)
        {
            max = Math.Max(max, input.Coordinates![i * input.CoordinateRank + axis]);
        }
        return max;
    }

    // More than the end marker and <|eos|> follows in the same document: a caption, or further media.
    private static bool LaterContentFollows(PackedRow row, int pieceIndex)
    {
        var document = row.Pieces[pieceIndex].Document;
        return row.Pieces.Skip(pieceIndex + 1).Where(p => p.Document == document).Sum(p => p.Length) > 2;
    }

    private sealed class MediaCollector(int channels)
    {
        private readonly List<float> _latents = [];
        private readonly List<long> _index = [];
        private readonly List<long> _group = [];
        private readonly List<bool> _noised = [];

        public void AddGroup(bool noised) => _noised.Add(noised);

        public void Add(ReadOnlySpan<float> latent, long index)
        {
            _latents.AddRange(latent);
            _index.Add(index);
            _group.Add(_noised.Count - 1);
        }

        public MediaLatents Build(string modality, Device device) => new(
            modality,
            tensor(_latents.ToArray(), [_index.Count, channels]).to(device),
            tensor(_index.ToArray()).to(device),
            tensor(_group.ToArray()).to(device),
            tensor(_noised.ToArray()).to(device));
    }
}
