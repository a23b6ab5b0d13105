namespace Luma.Unified.Data.Loading;

/// <summary>A converted document with the mixer position from before it was read (so the packer can resume on it).</summary>
public sealed record PositionedDocument(PackableDocument Document, MixerPosition Before);

/// <summary>
/// Lays documents into rows of a fixed length, back to back. Token segments fill rows to the last position
/// and continue in the next row; a media segment that does not fit in what is left of a row moves to the
/// next one and the rest is padding (a media segment is never cut). Between rows the packer's state is a
/// <see cref="LoaderState"/>; restoring it re-reads the head document and skips what was already packed.
/// </summary>
public sealed class SequencePacker(int rowLength)
{
    private PositionedDocument? _head;
    private int _segment;
    private int _tokenOffset;

    /// <summary>Positions per row.</summary>
    public int RowLength => rowLength;

    /// <summary>The state between rows, given where the source is when no document is pending.</summary>
    public LoaderState State(MixerPosition sourceNow) =>
        _head is null ? new LoaderState(sourceNow, 0, 0) : new LoaderState(_head.Before, _segment, _tokenOffset);

    /// <summary>Resumes inside <paramref name="head"/> (the document at the saved source position), or with none pending.</summary>
    public void Restore(PositionedDocument? head, int segment, int tokenOffset) => (_head, _segment, _tokenOffset) = (head, segment, tokenOffset);

    /// <summary>The next row; <paramref name="next"/> supplies documents in stream order.</summary>
    public PackedRow NextRow(Func<PositionedDocument> next)
    {
        var pieces = new List<PackedPiece>();
        var used = 0;
        var documentInRow = 0;
        while (used < rowLength)
        {
            if (_head is null)
            {
                _head = next();
                (_segment, _tokenOffset) = (0, 0);
                if (_head.Document.Segments.Any(s => !s.Splittable && s.Length > rowLength))
                {
                    throw new InvalidDataException($"{_head.Document.Location}: document '{_head.Document.Id}' has a media segment longer than a row ({rowLength} positions).");
                }
            }
            var document = _head.Document;
            var closed = false;
            while (_segment < document.Segments.Count && used < rowLength)
            {
                var segment = document.Segments[_segment];
                var space = rowLength - used;
                if (segment.Splittable)
                {
                    var take = Math.Min(segment.Length - _tokenOffset, space);
                    var tokens = segment.Tokens!.Skip(_tokenOffset).Take(take).ToArray();
                    pieces.Add(new PackedPiece(segment.Modality, used, take, documentInRow, document.Id, tokens, null));
                    used += take;
                    _tokenOffset += take;
                    if (_tokenOffset == segment.Length)
                    {
                        (_segment, _tokenOffset) = (_segment + 1, 0);
                    }
                }
                else if (segment.Length <= space)
                {
                    pieces.Add(new PackedPiece(segment.Modality, used, segment.Length, documentInRow, document.Id, null, segment.Payload));
                    used += segment.Length;
                    _segment++;
                }
                else
                {
                    closed = true;
                    break;
                }
            }
            if (_segment == document.Segments.Count)
            {
                _head = null;
            }
            documentInRow++;
            if (closed)
            {
                break;
            }
        }
        return new PackedRow(rowLength, pieces);
    }
}
