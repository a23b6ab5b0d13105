using Luma.Unified.Backbone;
using Luma.Unified.Backbone.Layers;
using Luma.Unified.Modalities.Codecs;
using Luma.Unified.Modalities.Image;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Model.Inputs;

/// <summary>
/// Latent positions <c>[m, z]</c> → backbone inputs <c>[m, d]</c> through a 3 × 3 convolution and residual blocks over
/// each square grid of positions (one image, one video frame), then a linear
/// projection. A linear projection sees one cell; a shape spans several, and attention pools their values without
/// their arrangement, so this stem gives every position its neighbourhood first (U-ViT and Transfusion's U-Net-style
/// input layers). The convolutions are small and run in fp32; the projection follows the compute precision.
/// </summary>
public sealed class ConvLatentInput : nn.Module<Tensor, Tensor>
{
    /// <summary>Width of the stem: a multiple of oneDNN's channel block, so no convolution pads channels.</summary>
    public const int Channels = 64;

    private readonly ChannelPaddedConv2d stem;
    private readonly ModuleList<ResidualBlock> blocks;
    private readonly GroupNorm norm;
    private readonly CastingLinear projection;
    private readonly int _side;

    public ConvLatentInput(int latentChannels, int dim, int side, ComputePrecision precision, int residualBlocks = 2)
        : base(nameof(ConvLatentInput))
    {
        _side = side;
        stem = new ChannelPaddedConv2d(latentChannels, Channels, 3, padding: 1);
        blocks = new ModuleList<ResidualBlock>([.. Enumerable.Range(0, residualBlocks).Select(_ => new ResidualBlock(Channels, Channels))]);
        norm = ResidualBlock.Norm(Channels);
        projection = new CastingLinear(Channels, dim, precision);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor latents)
    {
        using var scope = NewDisposeScope();
        var (m, z) = (latents.shape[0], latents.shape[1]);
        var cells = (long)_side * _side;
        if (m % cells != 0)
        {
            throw new ArgumentException($"{m} latent positions are not whole {_side} × {_side} grids.", nameof(latents));
        }
        var h = stem.forward(latents.to(ScalarType.Float32).reshape(m / cells, _side, _side, z).permute(0, 3, 1, 2));
        foreach (var block in blocks)
        {
            h = block.forward(h);
        }
        h = nn.functional.silu(norm.forward(h)).permute(0, 2, 3, 1).reshape(m, Channels);
        return projection.forward(h).MoveToOuterDisposeScope();
    }
}
