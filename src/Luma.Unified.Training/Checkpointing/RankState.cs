using Luma.Unified.Data.Loading;

namespace Luma.Unified.Training.Checkpointing;

/// <summary>Where one data-parallel rank continues: its own loader position and random stream.</summary>
/// <param name="Loader">The rank's loader state after the checkpoint's step.</param>
/// <param name="Rng">The rank's torch RNG state (base64 of <c>torch.get_rng_state()</c>).</param>
public sealed record RankState(LoaderState Loader, string Rng);
