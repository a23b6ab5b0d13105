using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>[model]: the decoder-only transformer backbone.</summary>
public sealed record ModelOptions : IValidatableOptions
{
    /// <summary>Width of the residual stream.</summary>
    [Range(8, 65_536)]
    public int Dim { get; init; } = 128;

    /// <summary>Transformer blocks.</summary>
    [Range(1, 1024)]
    public int Layers { get; init; } = 4;

    /// <summary>Query heads; must divide <see cref="Dim"/>.</summary>
    [Range(1, 1024)]
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads (grouped-query attention); must divide <see cref="Heads"/>.</summary>
    [Range(1, 1024)]
    public int KvHeads { get; init; } = 2;

    /// <summary>Hidden width of the SwiGLU MLP; 0 = 8/3·dim rounded up to a multiple of 64.</summary>
    [Range(0, 1_048_576)]
    public int MlpHidden { get; init; }

    /// <summary>Base of the rotary position frequencies.</summary>
    [Range(1.0, 1e9)]
    public double RopeTheta { get; init; } = 10_000;

    /// <summary>Epsilon of RMSNorm.</summary>
    [Range(1e-12, 1e-2)]
    public double NormEps { get; init; } = 1e-5;

    /// <summary>Dropout on attention output and MLP output during training.</summary>
    [Range(0.0, 0.9)]
    public double Dropout { get; init; }

    /// <summary>Longest sequence the rotary table covers (training rows and sampling).</summary>
    [Range(8, 1_048_576)]
    public int MaxSeqLen { get; init; } = 1024;

    /// <summary>Recompute each transformer block's activations in backward instead of keeping them: less memory, one more forward pass.</summary>
    public bool ActivationCheckpointing { get; init; }

    /// <summary>The MLP width actually used.</summary>
    public int ResolvedMlpHidden => MlpHidden > 0 ? MlpHidden : (8 * Dim / 3 + 63) / 64 * 64;

    /// <inheritdoc/>
    public IEnumerable<OptionProblem> Validate()
    {
        if (Dim % Heads != 0)
        {
            yield return new(nameof(Heads), $"heads ({Heads}) must divide dim ({Dim})");
        }
        else if (Dim / Heads % 2 != 0)
        {
            yield return new(nameof(Heads), $"dim / heads = {Dim / Heads} must be even for rotary positions");
        }
        if (Heads % KvHeads != 0)
        {
            yield return new(nameof(KvHeads), $"kv_heads ({KvHeads}) must divide heads ({Heads})");
        }
    }
}
