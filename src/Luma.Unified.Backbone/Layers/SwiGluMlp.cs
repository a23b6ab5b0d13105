using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Layers;

/// <summary>SwiGLU feed-forward: W2 · (silu(W1 x) ⊙ W3 x). <c>[batch, seq, dim]</c> → <c>[batch, seq, dim]</c> (compute dtype).</summary>
public sealed class SwiGluMlp : nn.Module<Tensor, Tensor>
{
    private readonly CastingLinear gate;
    private readonly CastingLinear up;
    private readonly CastingLinear down;

    /// <param name="dim">Model width.</param>
    /// <param name="hidden">Inner width.</param>
    /// <param name="precision">Shared compute dtype.</param>
    /// <param name="outputStd">Init std of the output projection (scaled down with depth).</param>
    public SwiGluMlp(int dim, int hidden, ComputePrecision precision, double outputStd) : base(nameof(SwiGluMlp))
    {
        gate = new CastingLinear(dim, hidden, precision);
        up = new CastingLinear(dim, hidden, precision);
        down = new CastingLinear(hidden, dim, precision, outputStd);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.silu(gate.forward(input)) * up.forward(input);
        return down.forward(hidden).MoveToOuterDisposeScope();
    }
}
