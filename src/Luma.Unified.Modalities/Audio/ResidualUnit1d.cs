using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Audio;

/// <summary>ELU → dilated 7-tap conv → ELU → 1×1 conv, plus the input (SoundStream's residual unit). <c>[b, c, t]</c> → same.</summary>
public sealed class ResidualUnit1d : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d dilated;
    private readonly Conv1d pointwise;

    public ResidualUnit1d(long channels, long dilation) : base(nameof(ResidualUnit1d))
    {
        dilated = nn.Conv1d(channels, channels, 7, padding: 3 * dilation, dilation: dilation);
        pointwise = nn.Conv1d(channels, channels, 1);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = pointwise.forward(nn.functional.elu(dilated.forward(nn.functional.elu(input, 1.0)), 1.0));
        return (input + h).MoveToOuterDisposeScope();
    }
}
