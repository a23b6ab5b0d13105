using Luma.Unified.Data.Loading;

namespace Luma.Unified.Training.Checkpointing;

/// <summary>The small JSON beside a checkpoint's tensors (<c>state.json</c>); it is written last and marks the checkpoint complete.</summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="Loader">Where the training loader continues.</param>
/// <param name="ConfigSha256">Fingerprint of the resolved config the run used.</param>
/// <param name="SavedAt">Wall-clock time of the save.</param>
/// <param name="FileSha256">SHA-256 of every other file of the checkpoint, by name, checked on load (filled in by the store).</param>
/// <param name="Ranks">Under data parallelism, every rank's data position and random state, by rank; null for one process.</param>
public sealed record CheckpointState(int Step, LoaderState Loader, string ConfigSha256, DateTimeOffset SavedAt, IReadOnlyDictionary<string, string>? FileSha256 = null, IReadOnlyList<RankState>? Ranks = null);
