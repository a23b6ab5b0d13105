namespace Luma.Unified.Data.Loading;

/// <summary>
/// One segment ready for packing: its modality and how many sequence positions it takes. Token segments
/// (text) carry their ids and may be split across rows; media segments are atomic and carry their decoded
/// payload for the model's input projection.
/// </summary>
public sealed record PackableSegment(string Modality, int Length, IReadOnlyList<int>? Tokens = null, object? Payload = null)
{
    /// <summary>Token segments can continue in the next row; media cannot be cut.</summary>
    public bool Splittable => Tokens is not null;
}

/// <summary>A document as the packer sees it.</summary>
public sealed record PackableDocument(string Id, string Location, IReadOnlyList<PackableSegment> Segments)
{
    /// <summary>Positions the whole document takes.</summary>
    public int Length => Segments.Sum(s => s.Length);
}
