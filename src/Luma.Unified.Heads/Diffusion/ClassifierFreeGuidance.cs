using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// Classifier-free guidance: v = v_uncond + s·(v_cond − v_uncond). s = 1 is the conditional prediction, s = 0
/// the unconditional one, s &gt; 1 follows the condition more closely. Training drops the condition at random so
/// the same model provides both.
/// </summary>
public static class ClassifierFreeGuidance
{
    /// <summary>Guided velocity from the conditional and unconditional predictions.</summary>
    public static Tensor Combine(Tensor conditional, Tensor unconditional, double scale) =>
        scale == 1 ? conditional.alias() : unconditional + scale * (conditional - unconditional);

    /// <summary>A velocity field that evaluates both predictions and combines them.</summary>
    public static VelocityField Guided(VelocityField conditional, VelocityField unconditional, double scale) =>
        (x, t) =>
        {
            using var scope = NewDisposeScope();
            return Combine(conditional(x, t), unconditional(x, t), scale).MoveToOuterDisposeScope();
        };
}
