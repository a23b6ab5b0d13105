using Luma.Unified.Config;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;
using Luma.Unified.Training.Distributed;
using Luma.Unified.Training.Stepping;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training;

/// <summary>bf16-mixed against fp32 from the same initialisation, so it runs where nothing else draws random numbers.</summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class MixedPrecisionTests : TorchTest
{
    [Fact]
    public void Bf16MixedEndsWithinThreePercentOfTheFp32LossOnTinyText()
    {
        // The shipped tiny-text model (width 192, 4 layers, 128 positions), shortened to 40 steps of 8 rows, on the
        // one thread the other tests use (changing the thread count under a running test is not safe).
        string[] shorter = ["run.threads=1", "train.steps=40", "train.warmup_steps=10", "train.micro_batch=8", "train.global_batch=8", "train.log_every=20", "train.eval_every=0", "checkpoint.every=0"];
        var fp32 = Train([.. shorter, "train.precision=fp32"]);
        var bf16 = Train([.. shorter, "train.precision=bf16-mixed"]);

        Assert.True(fp32.FinalLoss < 0.5 * fp32.FirstLoss, $"fp32 did not learn: {fp32.FirstLoss} → {fp32.FinalLoss}");
        Assert.InRange(Math.Abs(bf16.FinalLoss - fp32.FinalLoss) / fp32.FinalLoss, 0, 0.03);
    }

    [Fact]
    public void Bf16MixedKeepsWeightsGradientsAndOptimizerStateInFp32()
    {
        var config = TinyConfigs.Load("train.precision=bf16-mixed");
        var components = RunComponents.Build(config);
        using var loader = components.Loader(heldOut: false, rank: 0, worldSize: 1, batchRows: 8, seed: 1);
        using var parallel = DataParallel.Join(config.Options.Train, components.Session.Device, components.Modalities.Select(m => m.Name));
        using var update = ParameterUpdates.Create(parallel.World, components.Model, config.Options.Train);
        using var step = new TrainingStep(components, loader, update, parallel, accumulation: 1, ema: null);

        for (var i = 0; i < 2; i++)
        {
            step.Compute(i, 1e-3);
            step.Apply(i + 1);
        }

        Assert.Equal(ScalarType.BFloat16, components.Precision.ComputeDtype);
        Assert.All(components.Model.parameters(), p =>
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.Equal(ScalarType.Float32, p.grad!.dtype);
        });
        var state = ((TorchSharp.Modules.AdamW)update.Optimizer!).state_dict();
        var moments = state.State.OfType<TorchSharp.Modules.AdamW.State>().ToList();
        Assert.NotEmpty(moments);
        Assert.All(moments, s =>
        {
            Assert.Equal(ScalarType.Float32, s.exp_avg.dtype);
            Assert.Equal(ScalarType.Float32, s.exp_avg_sq.dtype);
        });
    }

    private static TrainingResult Train(string[] overrides)
    {
        using var temp = new TempDirectory();
        var config = ConfigLoader.Load(Repo.Config("tiny-text.yaml"), overrides);
        var run = RunDirectory.Create(temp.Combine("run"), config.ToYaml());
        using var log = RunLogging.Create(run.LogFile);
        return new Trainer(config, run, log).Run();
    }
}
