using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Layers;

/// <summary>
/// Rotary position embedding (RoFormer), "rotate half" layout: dimension i is paired with i + headDim/2.
/// Positions are 1-D <c>[batch, seq]</c>, or multimodal <c>[batch, seq, 3]</c> (M-RoPE): the frequencies are
/// dealt to the temporal, row and column coordinates in turn, each rotated by its own coordinate, so an
/// image patch carries its 2-D place and a video patch its frame too. A text token has three equal coordinates,
/// which makes M-RoPE exactly the 1-D rotary for text.
/// The cos/sin tables <c>[maxSeq, headDim]</c> are fp32, derived from the shape alone, so they are not module
/// state: they are never saved, and they follow the positions to whichever device the model runs on.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private Tensor _cos;
    private Tensor _sin;
    private Tensor _inverseFrequency;
    private Tensor _sectionOfFrequency;

    public RotaryEmbedding(int headDim, int maxSeqLen, double theta)
    {
        if (headDim % 2 != 0)
        {
            throw new ArgumentException($"Rotary embeddings need an even head dimension, got {headDim}.", nameof(headDim));
        }
        MaxSeqLen = maxSeqLen;
        using var scope = NewDisposeScope();
        var inverseFrequency = 1.0 / pow(theta, arange(0, headDim, 2, dtype: ScalarType.Float64) / headDim);
        var angles = outer(arange(maxSeqLen, dtype: ScalarType.Float64), inverseFrequency); // [maxSeq, headDim/2]
        var doubled = cat([angles, angles], dim: -1);
        _cos = doubled.cos().to(ScalarType.Float32).DetachFromDisposeScope();
        _sin = doubled.sin().to(ScalarType.Float32).DetachFromDisposeScope();
        _inverseFrequency = inverseFrequency.DetachFromDisposeScope();
        _sectionOfFrequency = tensor(SectionOfFrequency(headDim / 2)).DetachFromDisposeScope();
    }

    /// <summary>
    /// Which coordinate (0 temporal, 1 row, 2 column) rotates each of the <paramref name="frequencies"/>: interleaved,
    /// frequency i to coordinate i mod 3 (Qwen3-VL's interleaved M-RoPE), so every axis gets fast and slow
    /// frequencies. Contiguous sections (Qwen2-VL) leave the last axis only the slowest ones, which barely turn over
    /// the 8 columns of a latent grid: our first demo read rows right 69% of the time and columns 39%.
    /// </summary>
    public static long[] SectionOfFrequency(int frequencies) => [.. Enumerable.Range(0, frequencies).Select(i => (long)(i % 3))];

    /// <summary>Longest position the tables cover.</summary>
    public int MaxSeqLen { get; }

    /// <summary>
    /// cos and sin for <paramref name="positions"/> <c>[batch, seq]</c> or <c>[batch, seq, 3]</c>, shaped
    /// <c>[batch, 1, seq, headDim]</c> to broadcast over heads.
    /// </summary>
    public (Tensor Cos, Tensor Sin) Tables(Tensor positions)
    {
        var maxPosition = positions.numel() == 0 ? 0 : positions.max().item<long>();
        if (maxPosition >= MaxSeqLen)
        {
            throw new ArgumentException($"Position {maxPosition} is beyond model.max_seq_len ({MaxSeqLen}).", nameof(positions));
        }
        FollowDevice(positions.device);
        using var scope = NewDisposeScope();
        if (positions.dim() == 3)
        {
            // Each frequency takes the coordinate of its section; angles in fp64 as for the 1-D tables.
            var perFrequency = positions.to(ScalarType.Float64).index_select(2, _sectionOfFrequency);   // [b, n, e/2]
            var angles = perFrequency * _inverseFrequency;
            var doubled = cat([angles, angles], dim: -1).unsqueeze(1);
            return (doubled.cos().to(ScalarType.Float32).MoveToOuterDisposeScope(), doubled.sin().to(ScalarType.Float32).MoveToOuterDisposeScope());
        }
        var flat = positions.reshape(-1);
        long[] shape = [positions.shape[0], 1, positions.shape[1], _cos.shape[1]];
        var cos = _cos.index_select(0, flat).reshape(shape);
        var sin = _sin.index_select(0, flat).reshape(shape);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>Rotates <paramref name="x"/> <c>[batch, heads, seq, headDim]</c> in fp32; returns it in x's dtype.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var half = x32.shape[^1] / 2;
        var rotated = cat([-x32.narrow(-1, half, half), x32.narrow(-1, 0, half)], dim: -1);
        return (x32 * cos + rotated * sin).to(x.dtype).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _cos.Dispose();
        _sin.Dispose();
        _inverseFrequency.Dispose();
        _sectionOfFrequency.Dispose();
    }

    private void FollowDevice(Device device)
    {
        if (_cos.device_type == device.type && _cos.device_index == device.index)
        {
            return;
        }
        var (cos, sin) = (_cos.to(device).DetachFromDisposeScope(), _sin.to(device).DetachFromDisposeScope());
        var (frequency, section) = (_inverseFrequency.to(device).DetachFromDisposeScope(), _sectionOfFrequency.to(device).DetachFromDisposeScope());
        Dispose();
        (_cos, _sin, _inverseFrequency, _sectionOfFrequency) = (cos, sin, frequency, section);
    }
}
