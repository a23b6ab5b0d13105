using Luma.Unified.Config.Options;
using Luma.Unified.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Optimization;

/// <summary>Builds AdamW (<see cref="FusedAdamW"/>) with weight decay on linear-layer matrices only.</summary>
public static class OptimizerFactory
{
    /// <summary>AdamW over <paramref name="model"/>'s parameters; TorchSharp's default weight_decay is 0, so it is always set here.</summary>
    public static FusedAdamW AdamW(UnifiedModel model, TrainOptions options)
    {
        var (decay, noDecay) = model.ParameterGroups();
        return AdamW(decay, noDecay, options);
    }

    /// <summary>AdamW with weight decay on <paramref name="decay"/> only.</summary>
    public static FusedAdamW AdamW(IEnumerable<Parameter> decay, IEnumerable<Parameter> noDecay, TrainOptions options)
    {
        AdamW.ParamGroup Group(IEnumerable<Parameter> parameters, double weightDecay) => new(parameters, new AdamW.Options
        {
            LearningRate = options.Lr,
            beta1 = options.Beta1,
            beta2 = options.Beta2,
            eps = options.Eps,
            weight_decay = weightDecay,
        });
        return new FusedAdamW(
            [Group(decay, options.WeightDecay), Group(noDecay, 0)],
            options.Lr, options.Beta1, options.Beta2, options.Eps, options.WeightDecay);
    }
}
