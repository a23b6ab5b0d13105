namespace Luma.Unified.Data.Loading;

/// <summary>
/// Where a document stream is: the next document is number <see cref="Offset"/> of shuffle window
/// <see cref="Window"/> of epoch <see cref="Epoch"/>. Restoring it re-reads only that window.
/// </summary>
public sealed record DocumentPosition(int Epoch, long Window, int Offset)
{
    /// <summary>The start of the first epoch.</summary>
    public static DocumentPosition Start { get; } = new(0, 0, 0);
}
