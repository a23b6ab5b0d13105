using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Backbone;

/// <summary>
/// Activation checkpointing of one transformer block: forward runs the block without recording its graph, so
/// only the block's input is kept; backward runs the block again with the graph and back-propagates through it,
/// which accumulates the block's weight gradients and returns the input's. Trades one more forward per block for
/// not holding its activations. Dropout draws the same masks both times: the random state of the forward is
/// replayed for the recomputation and the stream put back where it was.
/// </summary>
public sealed class BlockCheckpoint : autograd.SingleTensorFunction<BlockCheckpoint>
{
    private const string BlockKey = "block";
    private const string LayerKey = "layer";
    private const string RandomStateKey = "random-state";

    /// <inheritdoc/>
    public override string Name => nameof(BlockCheckpoint);

    /// <summary>
    /// <paramref name="block"/>'s output for <paramref name="h"/> (see <see cref="TransformerBlock.Forward"/>), its
    /// activations recomputed in backward instead of kept.
    /// </summary>
    public static Tensor Run(TransformerBlock block, Tensor h, Tensor cos, Tensor sin, Tensor? mask, int layer) =>
        apply(h, cos, sin, mask, block, layer);

    /// <inheritdoc/>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (h, cos, sin, mask, block, layer) = Unpack(vars);
        // The saved variables outlive the dispose scopes of the forward pass; captured tensors would not.
        ctx.save_for_backward([h, cos, sin, mask!]);
        ctx.save_data(BlockKey, block);
        ctx.save_data(LayerKey, layer);
        if (block.UsesRandomness)
        {
            using var state = get_rng_state();
            ctx.save_data(RandomStateKey, state.bytes.ToArray());
        }
        return block.Forward(h, cos, sin, mask, cache: null, layer);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var block = (TransformerBlock)ctx.get_data(BlockKey);
        var layer = (int)ctx.get_data(LayerKey);
        using var replay = ctx.get_data(RandomStateKey) is byte[] state ? new RandomReplay(state) : null;
        using var grad = enable_grad();
        var input = saved[0].detach().requires_grad_(true);
        var output = block.Forward(input, saved[1], saved[2], saved[3], cache: null, layer);
        output.backward([grad_output]);
        return [input.grad!, null!, null!, null!, null!, null!];
    }

    private static (Tensor H, Tensor Cos, Tensor Sin, Tensor? Mask, TransformerBlock Block, int Layer) Unpack(object[] vars) =>
        ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], vars[3] as Tensor, (TransformerBlock)vars[4], (int)vars[5]);

    /// <summary>Sets the random state of the forward pass, and on dispose puts back the state it replaced.</summary>
    private sealed class RandomReplay : IDisposable
    {
        private readonly Tensor _current = get_rng_state();

        public RandomReplay(byte[] state)
        {
            using var replayed = tensor(state, ScalarType.Byte);
            set_rng_state(replayed);
        }

        public void Dispose()
        {
            set_rng_state(_current);
            _current.Dispose();
        }
    }
}
