using Luma.Unified.Config.Options;
using Luma.Unified.Distributed;
using Luma.Unified.Model;

namespace Luma.Unified.Training.Distributed;

/// <summary>Chooses the update <c>train.zero_stage</c> asks for; with one rank there is nothing to shard.</summary>
public static class ParameterUpdates
{
    public static IParameterUpdate Create(ICollectives world, UnifiedModel model, TrainOptions train) =>
        train.ZeroStage == 1 && world.WorldSize > 1
            ? new ShardedUpdate(world, model, train)
            : new ReplicatedUpdate(world, model, train);
}
