using Luma.Unified.Tests.Support;
using Luma.Unified.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training;

public sealed class FusedAdamWTests : TorchTest
{
    // Sizes that are not multiples of any vector width, and one that spans several parallel chunks.
    private static readonly long[][] s_shapes = [[37, 29], [300, 700], [1, 5], [13]];

    private static List<Parameter> Parameters(long seed, ScalarType dtype = ScalarType.Float32)
    {
        manual_seed(seed);
        return [.. s_shapes.Select(shape => new Parameter(randn(shape, dtype) * 0.1))];
    }

    private static AdamW.ParamGroup Group(IEnumerable<Parameter> parameters, double weightDecay) => new(parameters, new AdamW.Options
    {
        LearningRate = 3e-3,
        beta1 = 0.9,
        beta2 = 0.95,
        eps = 1e-8,
        weight_decay = weightDecay,
    });

    private static AdamW.ParamGroup[] Groups(List<Parameter> parameters) =>
        [Group(parameters.Where(p => p.dim() == 2), 0.1), Group(parameters.Where(p => p.dim() != 2), 0)];

    /// <summary>Two identical parameter sets, one under TorchSharp's AdamW and one under the fused one.</summary>
    private sealed class Pair : IDisposable
    {
        public Pair(long seed, ScalarType dtype = ScalarType.Float32)
        {
            Expected = Parameters(seed, dtype);
            // Copies, not a second draw: tests running beside this one share the global generator.
            Actual = [.. Expected.Select(p => new Parameter(p.detach().clone()))];
            Reference = new AdamW(Groups(Expected), 3e-3, 0.9, 0.95, 1e-8, 0.1);
            Fused = new FusedAdamW(Groups(Actual), 3e-3, 0.9, 0.95, 1e-8, 0.1);
        }

        public List<Parameter> Expected { get; }
        public List<Parameter> Actual { get; }
        public AdamW Reference { get; }
        public FusedAdamW Fused { get; }

        public void Step(int steps) => StepBoth(Reference, Expected, Fused, Actual, steps);

        public void Dispose()
        {
            Reference.Dispose();
            Fused.Dispose();
        }
    }

    /// <summary>Steps both optimizers with the same gradients, changing the learning rate half-way as a schedule does.</summary>
    private static void StepBoth(AdamW reference, List<Parameter> referenceParameters, FusedAdamW fused, List<Parameter> fusedParameters, int steps)
    {
        for (var step = 0; step < steps; step++)
        {
            foreach (var (r, f) in referenceParameters.Zip(fusedParameters))
            {
                using var gradient = randn_like(r) * 0.05;
                r.grad = gradient.clone();
                f.grad = gradient.to(f.dtype);
            }
            if (step == steps / 2)
            {
                foreach (var group in reference.ParamGroups.Concat(fused.ParamGroups))
                {
                    group.LearningRate = 1e-3;
                }
            }
            using (NewDisposeScope())
            {
                reference.step();
                fused.step();
            }
        }
    }

    private static double MaxDifference(List<Parameter> a, List<Parameter> b) =>
        a.Zip(b).Max(pair => (pair.First.to(ScalarType.Float64) - pair.Second.to(ScalarType.Float64)).abs().max().item<double>());

    [Fact]
    public void MatchesTorchSharpsAdamWOnFp32CpuParameters()
    {
        using var pair = new Pair(seed: 3);
        using var initial = pair.Expected[1].detach().clone();

        pair.Step(6);

        Assert.Equal(6, pair.Fused.FusedSteps);
        Assert.True((pair.Expected[1] - initial).abs().max().item<float>() > 1e-3, "the parameters should have moved");
        var difference = MaxDifference(pair.Expected, pair.Actual);
        Assert.True(difference < 1e-6, $"fused and reference differ by {difference:E2}");
    }

    [Fact]
    public void KeepsItsStateWhereCheckpointsReadIt()
    {
        using var pair = new Pair(seed: 4);
        pair.Step(3);

        var referenceState = pair.Reference.state_dict().State;
        var fusedState = pair.Fused.state_dict().State;
        Assert.Equal(referenceState.Count, fusedState.Count);
        foreach (var (r, f) in referenceState.Cast<AdamW.State>().Zip(fusedState.Cast<AdamW.State>()))
        {
            Assert.Equal(3, f.step);
            Assert.Equal(ScalarType.Float32, f.exp_avg.dtype);
            Assert.True(r.exp_avg.allclose(f.exp_avg, rtol: 1e-5, atol: 1e-7), "first moments differ");
            Assert.True(r.exp_avg_sq.allclose(f.exp_avg_sq, rtol: 1e-5, atol: 1e-9), "second moments differ");
        }
    }

    [Fact]
    public void StepsThroughTorchSharpWhereItCannotFuse()
    {
        using var pair = new Pair(seed: 5, ScalarType.Float64);

        pair.Step(4);

        Assert.Equal(0, pair.Fused.FusedSteps);
        Assert.Equal(0, MaxDifference(pair.Expected, pair.Actual));
    }
}
