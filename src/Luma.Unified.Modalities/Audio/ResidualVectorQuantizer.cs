using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Modalities.Audio;

// Shapes: b = batch, d = latent width, t = frames, q = codebooks, k = codebook size.

/// <summary>
/// Residual vector quantisation: codebook 1 quantises the latent, codebook 2 what is left, and so on; the
/// code of a frame is one index per codebook. Trained with the VQ-VAE codebook and commitment losses and a
/// straight-through gradient; codebooks start from encoder outputs of the first batch, so no code starts dead.
/// </summary>
public sealed class ResidualVectorQuantizer : nn.Module
{
    private readonly Parameter codebooks; // [q, k, d]
    private bool _initialised;

    public ResidualVectorQuantizer(int count, int size, int dim) : base(nameof(ResidualVectorQuantizer))
    {
        codebooks = new Parameter(randn(count, size, dim) * 0.1);
        RegisterComponents();
    }

    /// <summary>Codebooks.</summary>
    public int Count => (int)codebooks.shape[0];

    /// <summary>
    /// latent <c>[b, d, t]</c> → (quantised <c>[b, d, t]</c> with straight-through gradient, codes <c>[b, q, t]</c>,
    /// codebook + commitment loss scalar).
    /// </summary>
    public (Tensor Quantized, Tensor Codes, Tensor Loss) Quantize(Tensor latent, double commitmentWeight)
    {
        using var scope = NewDisposeScope();
        var frames = latent.permute(0, 2, 1).reshape(-1, latent.shape[1]); // [b·t, d]
        if (training && !_initialised)
        {
            InitialiseFrom(frames);
        }
        var residual = frames;
        var quantized = zeros_like(frames);
        var codes = new List<Tensor>();
        var loss = zeros(1, device: latent.device).squeeze();
        for (var q = 0; q < Count; q++)
        {
            var book = codebooks[q];                                       // [k, d]
            var index = cdist(residual.detach(), book.detach()).argmin(-1); // [b·t]
            var chosen = book.index_select(0, index);                       // [b·t, d]
            loss = loss + nn.functional.mse_loss(chosen, residual.detach()) + commitmentWeight * nn.functional.mse_loss(residual, chosen.detach());
            quantized = quantized + chosen;
            residual = residual - chosen.detach();
            codes.Add(index);
        }
        // Straight-through: the decoder sees the quantised latent, the encoder gets the decoder's gradient.
        var straight = frames + (quantized - frames).detach();
        var (b, t) = (latent.shape[0], latent.shape[2]);
        return (
            straight.reshape(b, t, -1).permute(0, 2, 1).MoveToOuterDisposeScope(),
            stack(codes, dim: 0).reshape(Count, b, t).permute(1, 0, 2).MoveToOuterDisposeScope(),
            loss.MoveToOuterDisposeScope());
    }

    /// <summary>codes <c>[b, q, t]</c> → latent <c>[b, d, t]</c>: the sum of the chosen vectors.</summary>
    public Tensor Dequantize(Tensor codes)
    {
        using var scope = NewDisposeScope();
        var sum = Enumerable.Range(0, Count).Select(q => codebooks[q].index_select(0, codes[.., q].reshape(-1)))
            .Aggregate((a, c) => a + c);                                   // [b·t, d]
        return sum.reshape(codes.shape[0], codes.shape[2], -1).permute(0, 2, 1).MoveToOuterDisposeScope();
    }

    private void InitialiseFrom(Tensor frames)
    {
        using var noGrad = no_grad();
        var residual = frames.detach();
        for (var q = 0; q < Count; q++)
        {
            var picks = randint(0, residual.shape[0], [codebooks.shape[1]], device: frames.device);
            var book = residual.index_select(0, picks);
            codebooks[q].copy_(book);
            var index = cdist(residual, book).argmin(-1);
            residual = residual - book.index_select(0, index);
        }
        _initialised = true;
    }
}
