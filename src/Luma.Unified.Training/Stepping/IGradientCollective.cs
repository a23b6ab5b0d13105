using TorchSharp.Modules;

namespace Luma.Unified.Training.Stepping;

/// <summary>
/// The seam for data-parallel training: after every micro-batch of a step has run backward, the collective
/// combines the gradients of all ranks in place (e.g. an all-reduce mean). Its time is reported as the step's
/// collectives time.
/// </summary>
public interface IGradientCollective
{
    /// <summary>Replaces each parameter's gradient by the combination over ranks.</summary>
    void Reduce(IReadOnlyList<Parameter> parameters);
}
