using TorchSharp.Modules;

namespace Luma.Unified.Training.Distributed;

/// <summary>
/// How one optimizer step reaches the weights of every rank: gradients summed over ranks, clipped by their global
/// norm, applied by AdamW. Replicated (every rank holds the whole optimizer state) or sharded (ZeRO-1).
/// Every member that communicates must be called by all ranks in the same order.
/// </summary>
public interface IParameterUpdate : IDisposable
{
    /// <summary>The optimizer whose state is the checkpoint's <c>optimizer.pt</c>, or null when the state is sharded (see <see cref="GatherShardFiles"/>).</summary>
    OptimizerHelper? Optimizer { get; }

    /// <summary>Bytes of optimizer state (AdamW's two moments) this rank holds.</summary>
    long StateBytes { get; }

    void SetLearningRate(double lr);

    void ZeroGrad();

    /// <summary>Sums the gradients over ranks, clips them to a global norm of <paramref name="maxNorm"/> (0: no clipping) and returns the norm before clipping, identical on every rank.</summary>
    double SynchronizeAndClip(double maxNorm);

    /// <summary>Applies the step to the weights of every rank.</summary>
    void Step();

    /// <summary>Every rank's optimizer shard as checkpoint files by name (empty when the state is replicated); collective.</summary>
    IReadOnlyDictionary<string, byte[]> GatherShardFiles();

    /// <summary>After the model's weights were loaded from <paramref name="checkpoint"/>: takes this rank's optimizer shard from it.</summary>
    void LoadShard(string checkpoint);
}
