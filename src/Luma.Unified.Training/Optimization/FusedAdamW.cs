using System.Numerics;
using System.Runtime.CompilerServices;
using Luma.Unified.Runtime.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Optimization;

/// <summary>
/// TorchSharp's AdamW, with its update done in one pass over memory when every parameter is a contiguous fp32 CPU
/// tensor. TorchSharp 0.107 runs AdamW as nine tensor operations per parameter (two of them allocate), which read
/// and write the parameter, gradient and moments 22 times; the update is memory-bound, so on bench-cpu.yaml's 48 M
/// parameters that was ~80 ms of a 0.98 s bf16-mixed step. Here each element is read once (parameter, gradient,
/// two moments) and written once (parameter, two moments), split over the intra-op threads — what PyTorch's
/// <c>fused=True</c> does and TorchSharp does not expose. The state lives in the base class's own tensors, so
/// checkpoints (<c>optimizer.pt</c>) and resuming are unchanged; anywhere else (CUDA, other dtypes, AMSGrad,
/// maximize, non-Linux) the base class steps.
/// </summary>
public sealed class FusedAdamW : AdamW
{
    /// <summary>Elements per unit of parallel work: large enough to amortise scheduling, small enough to balance two threads.</summary>
    private const int ChunkElements = 1 << 16;

    public FusedAdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
    }

    /// <summary>Steps taken by the fused path (the rest went through TorchSharp's operations).</summary>
    public long FusedSteps { get; private set; }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null || !OperatingSystem.IsLinux())
        {
            return base.step(closure);
        }
        var updates = new List<ParameterUpdate>();
        foreach (var group in _parameter_groups)
        {
            var options = (Options)group.Options;
            if (options.amsgrad == true || options.maximize == true)
            {
                return base.step(closure);
            }
            foreach (var parameter in group.Parameters)
            {
                var grad = parameter.grad;
                if (grad is null)
                {
                    continue;
                }
                var state = (State)_state[parameter.Handle];
                if (!Fusable(parameter) || !Fusable(grad) || !Fusable(state.exp_avg) || !Fusable(state.exp_avg_sq))
                {
                    return base.step(closure);
                }
                updates.Add(new ParameterUpdate(parameter, grad, state, options));
            }
        }
        foreach (var update in updates)
        {
            update.State.step++;
        }
        var chunks = updates
            .SelectMany((update, index) => Enumerable.Range(0, (int)((update.Parameter.numel() + ChunkElements - 1) / ChunkElements)).Select(chunk => (index, chunk)))
            .ToArray();
        var coefficients = updates.Select(u => Coefficients.For(u.Options, u.State.step)).ToArray();
        var addresses = updates.Select(u => (
            Parameter: TensorAddress.Of(u.Parameter), Gradient: TensorAddress.Of(u.Gradient),
            Average: TensorAddress.Of(u.State.exp_avg), SquaredAverage: TensorAddress.Of(u.State.exp_avg_sq),
            Count: u.Parameter.numel())).ToArray();
        Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) }, i =>
        {
            var (index, chunk) = chunks[i];
            var a = addresses[index];
            var start = (long)chunk * ChunkElements;
            Update(a.Parameter, a.Gradient, a.Average, a.SquaredAverage, start, Math.Min(ChunkElements, a.Count - start), coefficients[index]);
        });
        GC.KeepAlive(updates);
        FusedSteps++;
        return null!;
    }

    private static bool Fusable(Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous();

    private sealed record ParameterUpdate(Parameter Parameter, Tensor Gradient, State State, Options Options);

    /// <summary>One step's scalars for one parameter, in the order TorchSharp's AdamW applies them.</summary>
    private readonly record struct Coefficients(float Decay, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float InverseRootCorrection2, float Eps, float StepSize)
    {
        public static Coefficients For(Options options, long step)
        {
            var lr = options.LearningRate!.Value;
            var (beta1, beta2) = (options.beta1!.Value, options.beta2!.Value);
            return new Coefficients(
                Decay: (float)(1 - lr * options.weight_decay!.Value),
                Beta1: (float)beta1, OneMinusBeta1: (float)(1 - beta1),
                Beta2: (float)beta2, OneMinusBeta2: (float)(1 - beta2),
                InverseRootCorrection2: (float)(1 / Math.Sqrt(1 - Math.Pow(beta2, step))),
                Eps: (float)options.eps!.Value,
                StepSize: (float)(lr / (1 - Math.Pow(beta1, step))));
        }
    }

    private static unsafe void Update(IntPtr parameterAddress, IntPtr gradientAddress, IntPtr averageAddress, IntPtr squaredAverageAddress, long start, long count, Coefficients c)
    {
        var p = (float*)parameterAddress + start;
        var g = (float*)gradientAddress + start;
        var m = (float*)averageAddress + start;
        var v = (float*)squaredAverageAddress + start;
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var (decay, beta1, oneMinusBeta1, beta2, oneMinusBeta2) = (new Vector<float>(c.Decay), new Vector<float>(c.Beta1), new Vector<float>(c.OneMinusBeta1), new Vector<float>(c.Beta2), new Vector<float>(c.OneMinusBeta2));
            var (inverseRoot, eps, stepSize) = (new Vector<float>(c.InverseRootCorrection2), new Vector<float>(c.Eps), new Vector<float>(c.StepSize));
            for (; i + width <= count; i += width)
            {
                var gi = Unsafe.ReadUnaligned<Vector<float>>(g + i);
                var mi = Unsafe.ReadUnaligned<Vector<float>>(m + i) * beta1 + gi * oneMinusBeta1;
                var vi = Unsafe.ReadUnaligned<Vector<float>>(v + i) * beta2 + gi * gi * oneMinusBeta2;
                var pi = Unsafe.ReadUnaligned<Vector<float>>(p + i) * decay;
                Unsafe.WriteUnaligned(m + i, mi);
                Unsafe.WriteUnaligned(v + i, vi);
                Unsafe.WriteUnaligned(p + i, pi - stepSize * mi / (Vector.SquareRoot(vi) * inverseRoot + eps));
            }
        }
        for (; i < count; i++)
        {
            var gi = g[i];
            m[i] = m[i] * c.Beta1 + gi * c.OneMinusBeta1;
            v[i] = v[i] * c.Beta2 + gi * gi * c.OneMinusBeta2;
            p[i] = p[i] * c.Decay - c.StepSize * m[i] / (MathF.Sqrt(v[i]) * c.InverseRootCorrection2 + c.Eps);
        }
    }
}
