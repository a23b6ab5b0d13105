using System.Text.Json;
using Luma.Unified.Config.Options;
using Luma.Unified.Heads;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Guards;
using Luma.Unified.Training.Observability;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Training;

public sealed class NonFiniteGuardTests : TorchTest
{
    /// <summary>Turns the text loss of step <paramref name="badStep"/> into NaN, as a corrupt batch or an overflow would.</summary>
    private static Func<int, LossBreakdown, LossBreakdown> NaNTextLossAt(int badStep) => (step, loss) =>
    {
        if (step != badStep)
        {
            return loss;
        }
        var nan = tensor(float.NaN);
        // A product, not a sum, so the gradients go NaN too, as they would from a real bad batch.
        return new LossBreakdown(loss.Total * nan, loss.Parts.ToDictionary(p => p.Key, p => p.Key == "text" ? p.Value * nan : p.Value));
    };

    private static (TrainingResult Result, RunDirectory Run) Train(TempDirectory temp, int badStep, params string[] overrides) =>
        TinyTraining.Run(temp, NaNTextLossAt(badStep), overrides);

    [Fact]
    public void AnInjectedNaNIsSkippedCountedAndLeavesTheWeightsUntouched()
    {
        using var temp = new TempDirectory();

        // Step 4 of 4 goes bad; the checkpoint after step 3 and the final one must then hold the same weights (their
        // optimizer files differ by the learning rate the schedule set for step 4).
        var (result, run) = Train(temp, badStep: 4, "train.steps=4", "train.log_every=1", "checkpoint.every=3", "checkpoint.keep_last=5");

        Assert.Equal(1, result.SkippedSteps);
        Assert.Equal(4, result.StepsDone);
        Assert.True(double.IsFinite(result.FirstLoss));
        var metrics = File.ReadAllLines(run.MetricsFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([0, 0, 0, 1], metrics.Select(m => m.GetProperty("skipped_steps").GetInt32()));
        Assert.Equal("NaN", metrics[3].GetProperty("grad_norm").GetString());
        Assert.Contains("step 4: non-finite loss NaN from modality text NaN", File.ReadAllText(run.LogFile), StringComparison.Ordinal);
        var afterThree = Path.Combine(run.CheckpointsDirectory, "step_00000003");
        var afterFour = Path.Combine(run.CheckpointsDirectory, "step_00000004");
        Assert.Equal(File.ReadAllBytes(Path.Combine(afterThree, "model.safetensors")), File.ReadAllBytes(Path.Combine(afterFour, "model.safetensors")));
    }

    [Fact]
    public void TrainingGoesOnLearningAfterASkippedStep()
    {
        using var temp = new TempDirectory();

        var (result, _) = Train(temp, badStep: 5, "train.steps=60", "train.warmup_steps=5");

        Assert.Equal(1, result.SkippedSteps);
        Assert.True(result.FinalLoss < 0.8 * result.FirstLoss, $"loss went {result.FirstLoss:0.000} → {result.FinalLoss:0.000}");
    }

    [Fact]
    public void ALossSpikeIsLoggedWithTheDocumentsOfItsBatch()
    {
        using var temp = new TempDirectory();
        var (_, run) = TinyTraining.Run(temp, (step, loss) => step == 55 ? new LossBreakdown(loss.Total * 10, loss.Parts) : loss, "train.steps=60", "train.warmup_steps=5");

        var spikes = File.ReadAllLines(run.LogFile).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("@mt").GetString()!.Contains("loss spike", StringComparison.Ordinal)).ToList();
        var spike = Assert.Single(spikes);
        Assert.Equal(55, spike.GetProperty("Step").GetInt32());
        var documents = spike.GetProperty("Documents").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.False(string.IsNullOrEmpty(d)));
        var last = JsonDocument.Parse(File.ReadAllLines(run.MetricsFile)[^1]).RootElement;
        Assert.Equal(1, last.GetProperty("loss_spikes").GetInt32());
    }

    [Fact]
    public void TheHaltPolicyStopsWithTheStepAndTheModality()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<TrainingHaltedException>(() => Train(temp, badStep: 3, "train.steps=10", "train.on_non_finite=halt"));

        Assert.StartsWith("step 3: non-finite loss NaN from modality text NaN;", error.Message, StringComparison.Ordinal);
        Assert.Contains("train.on_non_finite is halt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInfiniteGradientNormWithAFiniteLossIsNamedAsSuch()
    {
        var guard = new NonFiniteStepGuard(NonFinitePolicy.Skip);

        Assert.True(guard.Allows(1, 2.5, new Dictionary<string, double> { ["text"] = 2.5 }, 0.7, out var fine));
        Assert.False(guard.Allows(2, 2.5, new Dictionary<string, double> { ["text"] = 2.5 }, double.PositiveInfinity, out var problem));

        Assert.Equal("", fine);
        Assert.Equal("step 2: non-finite gradient norm Infinity (loss 2.5)", problem);
        Assert.Equal(1, guard.SkippedSteps);
    }
}
