using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Checkpointing;

/// <summary>
/// An exponential moving average of a model's parameters (<c>train.ema_decay</c>), the weights sampling and
/// evaluation use: averaging over the last ~1/(1 − decay) steps smooths out the optimizer's noise, which
/// diffusion samples show most. The decay ramps up as (1 + step) / (10 + step) so early averages do not hold
/// on to the random initialisation. Saved with each checkpoint as <see cref="FileName"/>, keyed like the model.
/// </summary>
public sealed class ExponentialMovingAverage : IDisposable
{
    /// <summary>The file a checkpoint holds the averaged weights in.</summary>
    public const string FileName = "ema.safetensors";

    private readonly Dictionary<string, Tensor> _shadow = [];
    private readonly double _decay;

    /// <summary>An average starting at <paramref name="model"/>'s current parameters.</summary>
    public ExponentialMovingAverage(nn.Module model, double decay)
    {
        _decay = decay;
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            _shadow[name] = parameter.detach().clone().DetachFromDisposeScope();
        }
    }

    /// <summary>Folds <paramref name="model"/>'s parameters after optimizer step <paramref name="step"/> (1-based) into the average.</summary>
    public void Update(nn.Module model, int step)
    {
        var decay = Math.Min(_decay, (1.0 + step) / (10.0 + step));
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            _shadow[name].mul_(decay).add_(parameter.detach(), alpha: 1 - decay);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with <paramref name="model"/> holding the averaged weights, then gives it its own back
    /// (samples drawn mid-training show what the EMA checkpoint will produce).
    /// </summary>
    public T WithAveragedWeights<T>(nn.Module model, Func<T> work)
    {
        var own = new Dictionary<string, Tensor>();
        try
        {
            using (no_grad())
            {
                foreach (var (name, parameter) in model.named_parameters())
                {
                    own[name] = parameter.detach().clone();
                    parameter.copy_(_shadow[name]);
                }
            }
            return work();
        }
        finally
        {
            using (no_grad())
            {
                foreach (var (name, parameter) in model.named_parameters())
                {
                    if (own.Remove(name, out var saved))
                    {
                        parameter.copy_(saved);
                        saved.Dispose();
                    }
                }
            }
        }
    }

    /// <summary>Writes the averaged weights (safetensors).</summary>
    public void Save(Stream stream) => Safetensors.SaveStateDict(stream, _shadow, leaveOpen: true);

    /// <summary>Continues from averaged weights saved by <see cref="Save"/>.</summary>
    public void Load(string path)
    {
        var saved = Safetensors.LoadStateDict(path);
        using var noGrad = no_grad();
        foreach (var (name, shadow) in _shadow)
        {
            if (!saved.TryGetValue(name, out var value))
            {
                throw new InvalidDataException($"{path} has no tensor '{name}'; it does not belong to this model.");
            }
            shadow.copy_(value);
        }
        foreach (var value in saved.Values)
        {
            value.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in _shadow.Values)
        {
            tensor.Dispose();
        }
    }
}
