using Luma.Unified.Config.Options;
using Luma.Unified.Distributed;
using Luma.Unified.Model;
using Luma.Unified.Training.Optimization;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Distributed;

/// <summary>
/// ZeRO stage 1: AdamW's moments are split across ranks. The parameters of each weight-decay group are laid end to
/// end in one flat vector padded to a multiple of the world size; rank r owns the r-th slice. A step reduce-scatters
/// the gradients (each rank receives the summed gradients of its slice), clips them by the global norm (squared
/// norms summed over ranks), lets AdamW update an fp32 copy of the slice, and all-gathers the slices back into every
/// rank's parameters. Optimizer state per rank is 1/world of the replicated one; the price is one extra all-gather
/// of the weights per step. AdamW is element-wise, so the weights match the replicated update's to rounding; a
/// parameter no rank gave a gradient is stepped with a zero one (its moments decay) instead of being skipped.
/// </summary>
public sealed class ShardedUpdate : IParameterUpdate
{
    private readonly ICollectives _world;
    private readonly IReadOnlyList<FlatGroup> _groups;
    private readonly AdamW _optimizer;

    public ShardedUpdate(ICollectives world, UnifiedModel model, TrainOptions train)
    {
        _world = world;
        var (decay, noDecay) = model.ParameterGroups();
        foreach (var parameter in decay.Concat(noDecay))
        {
            using var noGrad = no_grad();
            world.Broadcast(parameter, root: 0);
        }
        _groups = [new FlatGroup(world, decay), new FlatGroup(world, noDecay)];
        _optimizer = OptimizerFactory.AdamW([_groups[0].Shard], [_groups[1].Shard], train);
    }

    public OptimizerHelper? Optimizer => null;

    public long StateBytes => 2 * _groups.Sum(g => g.Shard.numel()) * sizeof(float);

    public void SetLearningRate(double lr)
    {
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }

    public void ZeroGrad()
    {
        foreach (var group in _groups)
        {
            group.ZeroModelGrad();
        }
    }

    public double SynchronizeAndClip(double maxNorm)
    {
        using var noGrad = no_grad();
        var squares = _groups.Select(g => g.ReduceScatterGradients()).Sum();
        var norm = Math.Sqrt(RankExchange.Sum(_world, [squares])[0]);
        // The same coefficient as clip_grad_norm_, applied to every rank's slice.
        var coefficient = maxNorm > 0 ? Math.Min(1.0, maxNorm / (norm + 1e-6)) : 1.0;
        foreach (var group in _groups)
        {
            group.Shard.grad!.mul_(coefficient);
        }
        return norm;
    }

    public void Step()
    {
        _optimizer.step();
        foreach (var group in _groups)
        {
            group.AllGatherParameters();
        }
    }

    public IReadOnlyDictionary<string, byte[]> GatherShardFiles()
    {
        using var stream = new MemoryStream();
        _optimizer.save_py(stream, leaveOpen: true);
        var shards = RankExchange.Gather(_world, stream.ToArray());
        return shards.Select((bytes, rank) => (bytes, rank)).ToDictionary(s => ShardFile(s.rank), s => s.bytes);
    }

    public void LoadShard(string checkpoint)
    {
        var path = Path.Combine(checkpoint, ShardFile(_world.Rank));
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path} is missing: train.zero_stage 1 resumes from checkpoints written with ZeRO-1 by the same number of ranks ({_world.WorldSize}).");
        }
        OptimizerStateFile.Load(_optimizer, path);
        foreach (var group in _groups)
        {
            group.TakeShardFromModel();
        }
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var group in _groups)
        {
            group.Dispose();
        }
    }

    private static string ShardFile(int rank) => $"optimizer.rank_{rank}.pt";

    /// <summary>One weight-decay group laid flat: [world × shard] elements, this rank's slice as an fp32 parameter.</summary>
    private sealed class FlatGroup : IDisposable
    {
        private readonly ICollectives _world;
        private readonly IReadOnlyList<Parameter> _parameters;
        private readonly Tensor _flat;
        private readonly long _shardElements;

        public FlatGroup(ICollectives world, IReadOnlyList<Parameter> parameters)
        {
            (_world, _parameters) = (world, parameters);
            var elements = parameters.Sum(p => p.numel());
            _shardElements = Math.Max(1, (elements + world.WorldSize - 1) / world.WorldSize);
            var device = parameters.Count > 0 ? parameters[0].device : CPU;
            _flat = zeros(_shardElements * world.WorldSize, ScalarType.Float32, device);
            Shard = new Parameter(zeros(_shardElements, ScalarType.Float32, device));
            Shard.grad = zeros_like(Shard);
            TakeShardFromModel();
        }

        /// <summary>This rank's slice of the group's weights (fp32 master copy), the parameter AdamW updates.</summary>
        public Parameter Shard { get; }

        public void ZeroModelGrad()
        {
            foreach (var parameter in _parameters)
            {
                parameter.grad?.zero_();
            }
        }

        /// <summary>Packs the model's gradients, reduce-scatters them into <see cref="Shard"/>'s gradient; returns its squared norm.</summary>
        public double ReduceScatterGradients()
        {
            using var scope = NewDisposeScope();
            long offset = 0;
            foreach (var parameter in _parameters)
            {
                var slice = _flat.narrow(0, offset, parameter.numel());
                if (parameter.grad is { } grad)
                {
                    slice.copy_(grad.reshape(-1));
                }
                else
                {
                    slice.zero_();
                }
                offset += parameter.numel();
            }
            _world.ReduceScatterSum(_flat, Shard.grad!);
            return Shard.grad!.to(ScalarType.Float64).square().sum().item<double>();
        }

        /// <summary>Gathers every rank's updated slice and writes the weights back into the model.</summary>
        public void AllGatherParameters()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            _world.AllGather(Shard, _flat);
            long offset = 0;
            foreach (var parameter in _parameters)
            {
                parameter.view(-1).copy_(_flat.narrow(0, offset, parameter.numel()));
                offset += parameter.numel();
            }
        }

        /// <summary>Sets <see cref="Shard"/> from the model's current weights (at start and after loading a checkpoint).</summary>
        public void TakeShardFromModel()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            _flat.zero_();
            long offset = 0;
            foreach (var parameter in _parameters)
            {
                _flat.narrow(0, offset, parameter.numel()).copy_(parameter.reshape(-1));
                offset += parameter.numel();
            }
            Shard.copy_(_flat.narrow(0, _world.Rank * _shardElements, _shardElements));
        }

        public void Dispose()
        {
            _flat.Dispose();
            Shard.Dispose();
        }
    }
}
