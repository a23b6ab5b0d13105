using Luma.Unified.Config.Options;
using Luma.Unified.Distributed;
using Luma.Unified.Model;
using Luma.Unified.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Distributed;

/// <summary>
/// Plain data parallelism (ZeRO stage 0): every rank keeps the whole AdamW state and applies the same step to
/// the same summed gradients, so the ranks stay identical without exchanging weights. With one rank it is the
/// single-process update, bit for bit.
/// </summary>
public sealed class ReplicatedUpdate : IParameterUpdate
{
    private readonly AdamW _optimizer;
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly GradientBuckets? _buckets;

    public ReplicatedUpdate(ICollectives world, UnifiedModel model, TrainOptions train)
    {
        _parameters = [.. model.parameters()];
        _optimizer = OptimizerFactory.AdamW(model, train);
        if (world.WorldSize > 1)
        {
            _buckets = new GradientBuckets(world, _parameters, train.BucketMb);
            _buckets.BroadcastParameters();
        }
    }

    public OptimizerHelper? Optimizer => _optimizer;

    public long StateBytes => 2 * _parameters.Sum(p => p.numel()) * sizeof(float);

    public void SetLearningRate(double lr)
    {
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }

    public void ZeroGrad() => _optimizer.zero_grad();

    public double SynchronizeAndClip(double maxNorm)
    {
        _buckets?.AllReduce();
        return nn.utils.clip_grad_norm_(_parameters, maxNorm > 0 ? maxNorm : double.PositiveInfinity);
    }

    public void Step() => _optimizer.step();

    public IReadOnlyDictionary<string, byte[]> GatherShardFiles() => new Dictionary<string, byte[]>();

    public void LoadShard(string checkpoint)
    {
    }

    public void Dispose()
    {
        _buckets?.Dispose();
        _optimizer.Dispose();
    }
}
