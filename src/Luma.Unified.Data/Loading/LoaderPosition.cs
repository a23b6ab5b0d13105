namespace Luma.Unified.Data.Loading;

/// <summary>Where a loader is in its stream: enough to resume to the exact next row.</summary>
/// <param name="Epoch">Passes completed over the documents.</param>
/// <param name="Row">Rows of the epoch's packed stream already consumed (by all ranks together).</param>
public sealed record LoaderPosition(int Epoch, long Row);
