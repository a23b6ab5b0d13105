using static TorchSharp.torch;

namespace Luma.Unified.Data.Loading;

/// <summary>
/// Turns packed rows into the <c>[batch, seq]</c> tensors of a token model. A position's target is the next
/// position's token when both are text of the same document in the row; otherwise (document end, row end,
/// padding, media) it is -100 and does not count in the loss. Padding positions get document ids of their
/// own, so they attend to nothing but themselves.
/// </summary>
public static class TokenBatchBuilder
{
    /// <summary>Target value that cross-entropy ignores.</summary>
    public const long IgnoreIndex = -100;

    /// <summary>The batch for <paramref name="rows"/> (all of one length) on <paramref name="device"/>.</summary>
    public static TokenBatch Build(IReadOnlyList<PackedRow> rows, Device device)
    {
        var length = rows[0].Length;
        var count = rows.Count * length;
        var inputs = new long[count];
        var targets = new long[count];
        var positions = new long[count];
        var documents = new long[count];
        Array.Fill(targets, IgnoreIndex);
        for (var b = 0; b < rows.Count; b++)
        {
            var row = rows[b];
            var rowStart = b * length;
            for (var t = 0; t < length; t++)
            {
                documents[rowStart + t] = -1 - t; // padding: a group of its own
            }
            var positionInDocument = new Dictionary<int, int>();
            var previousText = -1; // index of the last text position, if it directly precedes
            var previousDocument = -1;
            foreach (var piece in row.Pieces)
            {
                for (var i = 0; i < piece.Length; i++)
                {
                    var at = rowStart + piece.Offset + i;
                    documents[at] = piece.Document;
                    var p = positionInDocument.GetValueOrDefault(piece.Document);
                    positions[at] = p;
                    positionInDocument[piece.Document] = p + 1;
                    if (piece.Tokens is { } tokens)
                    {
                        inputs[at] = tokens[i];
                        if (previousText == at - 1 && previousDocument == piece.Document)
                        {
                            targets[at - 1] = tokens[i];
                        }
                        (previousText, previousDocument) = (at, piece.Document);
                    }
                    else
                    {
                        previousText = -1;
                    }
                }
            }
        }
        long[] shape = [rows.Count, length];
        return new TokenBatch(
            tensor(inputs, shape).to(device),
            tensor(targets, shape).to(device),
            tensor(positions, shape).to(device),
            tensor(documents, shape).to(device),
            [.. rows.SelectMany(r => r.DocumentIds).Distinct()]);
    }
}
