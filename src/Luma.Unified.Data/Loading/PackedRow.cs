namespace Luma.Unified.Data.Loading;

/// <summary>
/// A span of a packed row: <see cref="Length"/> positions from <see cref="Offset"/> holding (part of) one segment.
/// <see cref="Document"/> numbers the documents within the row (attention never crosses them);
/// for token pieces <see cref="Tokens"/> are the ids at these positions.
/// </summary>
public sealed record PackedPiece(string Modality, int Offset, int Length, int Document, string DocumentId, IReadOnlyList<int>? Tokens, object? Payload);

/// <summary>
/// A row of <see cref="Length"/> positions filled with pieces in order; positions after the last piece are
/// padding. The pieces are the (modality, offset, length) spans the attention mask is built from.
/// </summary>
public sealed record PackedRow(int Length, IReadOnlyList<PackedPiece> Pieces)
{
    /// <summary>Positions holding data (the rest is padding).</summary>
    public int Used => Pieces.Count == 0 ? 0 : Pieces[^1].Offset + Pieces[^1].Length;

    /// <summary>Ids of the documents that contributed to the row, in order.</summary>
    public IEnumerable<string> DocumentIds => Pieces.Select(p => p.DocumentId).Distinct();
}
