using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Heads.Diffusion;

/// <summary>
/// MAR's per-token diffusion head: a small residual MLP that denoises each latent position on its own, reading the
/// noised latent, modulated (adaptive norm: shift, scale, gate) by the backbone's hidden state plus the timestep
/// embedding. The backbone supplies the context; the head supplies the per-token distribution.
/// </summary>
public sealed class MlpVelocityHead : VelocityHead
{
    private readonly CastingLinear input;
    private readonly ModuleList<AdaptiveResidualBlock> blocks;
    private readonly RmsNorm outputNorm;
    private readonly CastingLinear output;

    public MlpVelocityHead(int dim, int channels, int blockCount, ComputePrecision precision) : base(nameof(MlpVelocityHead))
    {
        input = new CastingLinear(channels, dim, precision, withBias: true);
        blocks = new ModuleList<AdaptiveResidualBlock>([.. Enumerable.Range(0, blockCount).Select(_ => new AdaptiveResidualBlock(dim, precision))]);
        outputNorm = new RmsNorm(dim, 1e-6);
        output = new CastingLinear(dim, channels, precision, std: 0, withBias: true);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor Predict(Tensor hidden, Tensor noised, Tensor timestep)
    {
        using var scope = NewDisposeScope();
        var condition = nn.functional.silu(hidden.to(ScalarType.Float32) + timestep);
        var x = input.forward(noised).to(ScalarType.Float32);
        foreach (var block in blocks)
        {
            x = block.Forward(x, condition);
        }
        return output.forward(outputNorm.forward(x)).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>x + gate · MLP(norm(x) · (1 + scale) + shift), with shift, scale and gate from the condition (zero at start).</summary>
    private sealed class AdaptiveResidualBlock : nn.Module
    {
        private readonly RmsNorm norm;
        private readonly CastingLinear modulation;
        private readonly CastingLinear up;
        private readonly CastingLinear down;

        public AdaptiveResidualBlock(int dim, ComputePrecision precision) : base(nameof(AdaptiveResidualBlock))
        {
            norm = new RmsNorm(dim, 1e-6);
            modulation = new CastingLinear(dim, 3 * dim, precision, std: 0, withBias: true);
            up = new CastingLinear(dim, dim, precision, withBias: true);
            down = new CastingLinear(dim, dim, precision, withBias: true);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor condition)
        {
            using var scope = NewDisposeScope();
            var parts = modulation.forward(condition).to(ScalarType.Float32).chunk(3, dim: -1);
            var (shift, scale, gate) = (parts[0], parts[1], parts[2]);
            var h = norm.forward(x) * (1 + scale) + shift;
            h = down.forward(nn.functional.silu(up.forward(h))).to(ScalarType.Float32);
            return (x + gate * h).MoveToOuterDisposeScope();
        }
    }
}
