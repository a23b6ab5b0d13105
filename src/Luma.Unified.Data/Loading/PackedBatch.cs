namespace Luma.Unified.Data.Loading;

/// <summary>Rows for one micro-batch, and the loader state right after them (what a checkpoint saves).</summary>
public sealed record PackedBatch(IReadOnlyList<PackedRow> Rows, LoaderState After);
