using static TorchSharp.torch;

namespace Luma.Unified.Backbone.Attention;

/// <summary>
/// Keys and values of the tokens already processed, per layer, so that generation feeds one new token per
/// step instead of the whole sequence. Stored before grouped-query expansion: <c>[batch, kvHeads, len, headDim]</c>.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Tokens cached (equal for every layer once a forward pass has finished).</summary>
    public long Length => _keys[^1]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys/values of <paramref name="layer"/> and returns the full cached ones.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var allKeys = _keys[layer] is { } k ? cat([k, keys], dim: 2) : keys.alias();
        var allValues = _values[layer] is { } v ? cat([v, values], dim: 2) : values.alias();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        // The cache outlives the dispose scope of the forward pass that produced these tensors.
        _keys[layer] = allKeys.detach().DetachFromDisposeScope();
        _values[layer] = allValues.detach().DetachFromDisposeScope();
        return (allKeys, allValues);
    }

    /// <summary>Cached length of <paramref name="layer"/> before this step's tokens are appended.</summary>
    public long LengthOf(int layer) => _keys[layer]?.shape[2] ?? 0;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t?.Dispose();
        }
        Array.Clear(_keys);
        Array.Clear(_values);
    }
}
