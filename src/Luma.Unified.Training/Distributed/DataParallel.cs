using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Loading;
using Luma.Unified.Distributed;
using Luma.Unified.Runtime.Placement;
using Luma.Unified.Training.Checkpointing;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Distributed;

/// <summary>
/// This process's part in a data-parallel run: its rank, the collectives, and the arithmetic that makes N ranks
/// with B rows each train exactly like one rank with N·B rows. Each modality's loss is its sum divided by its
/// count over the whole step; the counts are summed over ranks before any rank divides, and the gradients are then
/// summed (not averaged) over ranks — so every rank's loss is its share of the global mean, and the sum of the
/// shares' gradients is the gradient of the global mean. Losses are summed the same way for logging.
/// </summary>
public sealed class DataParallel : IDisposable
{
    private readonly IReadOnlyList<string> _modalities;
    private bool _complete;

    private DataParallel(ICollectives world, RankPlacement placement, IReadOnlyList<string> modalities) =>
        (World, Placement, _modalities) = (world, placement, modalities);

    public ICollectives World { get; }

    public RankPlacement Placement { get; }

    /// <summary>Rank 0 logs, writes metrics and checkpoints.</summary>
    public bool IsLeader => World.Rank == 0;

    /// <summary>Joins the job the environment describes (a single process when there is none).</summary>
    public static DataParallel Join(TrainOptions train, Device device, IEnumerable<string> modalities)
    {
        var placement = RankPlacement.Detect();
        var world = Collectives.Join(placement, device, TimeSpan.FromSeconds(train.CollectiveTimeoutS));
        return new DataParallel(world, placement, [.. modalities.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Rows per micro-batch and micro-batches per rank and step. <c>train.micro_batch</c> bounds a rank's forward
    /// pass; when it times the ranks exceeds the global batch (a one-process config run on more ranks), each rank
    /// takes its global_batch / ranks rows in one micro-batch. Otherwise the global batch must split evenly.
    /// </summary>
    public (int MicroBatch, int Accumulation) BatchSplit(TrainOptions train)
    {
        var ranks = World.WorldSize;
        var micro = train.MicroBatch * ranks > train.GlobalBatch && train.GlobalBatch % ranks == 0 ? train.GlobalBatch / ranks : train.MicroBatch;
        if (train.GlobalBatch % (micro * ranks) != 0)
        {
            throw new ConfigException(
                $"train.global_batch ({train.GlobalBatch}) must be a multiple of train.micro_batch ({train.MicroBatch}) × {ranks} ranks; e.g. global_batch {train.MicroBatch * ranks * Math.Max(1, train.GlobalBatch / (train.MicroBatch * ranks))}.");
        }
        return (micro, train.GlobalBatch / (micro * ranks));
    }

    /// <summary>This rank's seed for data noise and dropout: rank 0 keeps the run's (so one rank trains as before), the others get distinct mixes of it.</summary>
    public long SeedOf(long seed) => World.Rank == 0 ? seed : SeedMixer.Mix(seed, World.Rank);

    /// <summary>Reseeds torch for this rank after the (identical) model initialisation.</summary>
    public void SeedRandomStream(long seed)
    {
        if (World.Rank > 0)
        {
            manual_seed(SeedOf(seed));
        }
    }

    /// <summary>The step's per-modality counts over all ranks.</summary>
    public IReadOnlyDictionary<string, double> SumCounts(IReadOnlyDictionary<string, double> counts)
    {
        if (World.WorldSize == 1)
        {
            return counts;
        }
        var sums = RankExchange.Sum(World, [.. _modalities.Select(m => counts.GetValueOrDefault(m))]);
        return _modalities.Select((m, i) => (m, sums[i])).Where(c => c.Item2 > 0).ToDictionary(c => c.m, c => c.Item2);
    }

    /// <summary>The step's loss and per-modality parts summed over ranks (each rank holds its share of the global mean).</summary>
    public (double Loss, Dictionary<string, double> Parts) SumLosses(double loss, Dictionary<string, double> parts)
    {
        if (World.WorldSize == 1)
        {
            return (loss, parts);
        }
        double[] mine = [loss, .. _modalities.Select(m => parts.GetValueOrDefault(m)), .. _modalities.Select(m => parts.ContainsKey(m) ? 1.0 : 0.0)];
        var sums = RankExchange.Sum(World, mine);
        var present = _modalities.Select((m, i) => (m, i)).Where(p => sums[1 + _modalities.Count + p.i] > 0);
        return (sums[0], present.ToDictionary(p => p.m, p => sums[1 + p.i]));
    }

    /// <summary>True on every rank when a stop was requested on any, so all ranks leave the loop at the same step.</summary>
    public bool AnyStop(bool requested) => World.WorldSize == 1 ? requested : RankExchange.Any(World, requested);

    /// <summary>Every rank's loader position and random state for the checkpoint (null for one process); collective.</summary>
    public IReadOnlyList<RankState>? GatherRankStates(LoaderState loader)
    {
        if (World.WorldSize == 1)
        {
            return null;
        }
        using var rng = get_rng_state();
        var mine = new RankState(loader, Convert.ToBase64String(rng.bytes));
        return [.. RankExchange.Gather(World, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(mine))
            .Select(bytes => System.Text.Json.JsonSerializer.Deserialize<RankState>(bytes)!)];
    }

    /// <summary>Puts this rank's loader (and, with several ranks, its random stream) where <paramref name="state"/> left them.</summary>
    public void Resume(CheckpointState state, DataLoader loader)
    {
        var steps = RankExchange.Sum(World, [state.Step]);
        if (steps[0] != (double)state.Step * World.WorldSize)
        {
            throw new InvalidDataException($"rank {World.Rank} resumed at step {state.Step} but the ranks disagree: all ranks must read the same checkpoint (put the run directory on a filesystem every node shares).");
        }
        if (World.WorldSize == 1)
        {
            loader.Restore(state.Loader);
            return;
        }
        var ranks = state.Ranks?.Count ?? 1;
        if (ranks != World.WorldSize)
        {
            throw new InvalidDataException($"the checkpoint at step {state.Step} was written by {ranks} rank(s) and this run has {World.WorldSize}: each rank's data stream continues only with the same number of ranks.");
        }
        var mine = state.Ranks![World.Rank];
        loader.Restore(mine.Loader);
        using var rng = tensor(Convert.FromBase64String(mine.Rng));
        set_rng_state(rng);
    }

    /// <summary>"rank 0 of 2 via Open MPI 4.1.4 (torchrun-style environment)".</summary>
    public string Describe() => $"rank {World.Rank} of {World.WorldSize} via {World.Engine} ({Placement.Launcher})";

    /// <summary>Each rank's optimizer state in bytes, by rank; collective.</summary>
    public IReadOnlyList<long> StateBytesPerRank(IParameterUpdate update)
    {
        var mine = new double[World.WorldSize];
        mine[World.Rank] = update.StateBytes;
        return [.. RankExchange.Sum(World, mine).Select(b => (long)b)];
    }

    /// <summary>Marks the run finished on this rank, so disposing shuts the engine down cleanly.</summary>
    public void Complete() => _complete = true;

    /// <summary>
    /// Shuts the engine down after a complete run. After a failure it does not: MPI_Finalize would wait for ranks
    /// that are still in a collective, while a process that exits without it makes the launcher end the whole job.
    /// </summary>
    public void Dispose()
    {
        if (_complete || World.WorldSize == 1)
        {
            World.Dispose();
        }
    }
}
