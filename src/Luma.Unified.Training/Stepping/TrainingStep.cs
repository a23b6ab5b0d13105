using System.Diagnostics;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
using Luma.Unified.Heads;
using Luma.Unified.Model;
using Luma.Unified.Model.Training;
using Luma.Unified.Training.Checkpointing;
using Luma.Unified.Training.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Luma.Unified.Training.Stepping;

/// <summary>What one step computed, before the optimizer applies it.</summary>
/// <param name="Rows">Each micro-batch's packed rows (for reports of the documents in a bad batch).</param>
/// <param name="Loss">The step's loss (Σ over modalities of weight · mean).</param>
/// <param name="Parts">Each modality's mean loss.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="Composition">Positions and samples per modality.</param>
public sealed record ComputedStep(IReadOnlyList<IReadOnlyList<PackedRow>> Rows, double Loss, IReadOnlyDictionary<string, double> Parts, double GradNorm, StepComposition Composition);

/// <summary>
/// One optimizer step of the unified model, shared by <see cref="Trainer"/> and the benchmark so both measure the
/// same work: fetch and build the micro-batches, forward and backward each (gradient accumulation), sum the
/// gradients over the data-parallel ranks and clip them (<see cref="IParameterUpdate.SynchronizeAndClip"/>), and —
/// once the caller accepts the step — apply AdamW and the EMA. Every phase is timed into <see cref="Times"/>; with
/// several ranks the gradient exchange and clipping count as collectives. Garbage collections are kept out of the
/// steps (<see cref="CollectionFence"/>).
/// </summary>
public sealed class TrainingStep(RunComponents components, DataLoader loader, IParameterUpdate update, DataParallel parallel, int accumulation, ExponentialMovingAverage? ema) : IDisposable
{
    private readonly CollectionFence _fence = new();
    private readonly UnifiedModel _model = components.Model;
    private readonly IReadOnlyDictionary<string, double> _lossWeights = LossWeights.Parse(components.Config, components.Modalities);
    private readonly Config.Options.LumaConfig _options = components.Config.Options;

    /// <summary>
    /// Test seam: given the 1-based step and a micro-batch's loss, returns the loss training goes on with — lets
    /// tests inject a NaN into one modality's loss the way a bad batch would.
    /// </summary>
    internal Func<int, LossBreakdown, LossBreakdown>? LossFault { get; init; }

    /// <summary>
    /// Test seam: given the components and the 0-based step, returns the step's micro-batches instead of the loader —
    /// lets a one-process reference train on exactly the rows several data-parallel ranks would read together.
    /// </summary>
    internal Func<RunComponents, int, IReadOnlyList<IReadOnlyList<PackedRow>>>? StepRows { get; init; }

    /// <summary>How the steps were kept free of garbage collections.</summary>
    public CollectionFence Fence => _fence;

    /// <summary>Time spent so far, by phase.</summary>
    public StepTimes Times { get; private set; } = StepTimes.Zero;

    /// <summary>Runs forward and backward over the micro-batches of step <paramref name="step"/> (0-based) at <paramref name="lr"/>, then clips.</summary>
    public ComputedStep Compute(int step, double lr)
    {
        _fence.AtStepBoundary();
        var clock = Stopwatch.StartNew();
        update.SetLearningRate(lr);
        update.ZeroGrad();
        // Each modality's loss is the mean over the step's predicted tokens (or noised latent elements) of all its
        // micro-batches; micro-batches hold different numbers of them (document ends, padding and clean media
        // predict nothing), so every micro-batch's sums are divided by the step's counts, not its own.
        // With several ranks the counts are the whole step's, over all ranks (see DataParallel).
        var rows = StepRows?.Invoke(components, step) ?? Enumerable.Range(0, accumulation).Select(_ => loader.Next().Rows).ToList();
        var diffusion = _options.Diffusion;
        var media = new MediaPolicy(diffusion.CleanProbability, diffusion.ConditionDropout, new Random(SeedMixer.Mix(parallel.SeedOf(_options.Run.Seed), step)));
        var micros = rows.Select(r => SequenceBatchBuilder.Build(r, components.Session.Device, media)).ToList();
        var scale = new LossScale(parallel.SumCounts(LossScale.Sum(micros.Select(_model.LossCounts))), _lossWeights);
        var times = StepTimes.Zero with { DataWait = Lap(clock) };

        double stepLoss = 0;
        var stepParts = new Dictionary<string, double>();
        for (var micro = 0; micro < accumulation; micro++)
        {
            using var scope = NewDisposeScope();
            using var batch = micros[micro];
            var modelLoss = _model.Loss(batch, scale);
            using var loss = LossFault?.Invoke(step + 1, modelLoss) ?? modelLoss;
            times = times with { Forward = times.Forward + Lap(clock) };
            loss.Total.backward();
            stepLoss += loss.Total.item<float>();
            foreach (var (name, value) in loss.PartValues())
            {
                stepParts[name] = stepParts.GetValueOrDefault(name) + value;
            }
            times = times with { Backward = times.Backward + Lap(clock) };
        }
        (stepLoss, stepParts) = parallel.SumLosses(stepLoss, stepParts);
        var gradNorm = update.SynchronizeAndClip(_options.Train.GradClip);
        Times += parallel.World.WorldSize > 1 ? times with { Collectives = Lap(clock) } : times with { Optimizer = Lap(clock) };
        return new ComputedStep(rows, stepLoss, stepParts, gradNorm, StepComposition.Of(rows, m => m != Segments.Text));
    }

    /// <summary>Applies the computed gradients (AdamW) and updates the EMA; <paramref name="done"/> is the 1-based step.</summary>
    public void Apply(int done)
    {
        var clock = Stopwatch.StartNew();
        update.Step();
        ema?.Update(_model, done);
        Times += StepTimes.Zero with { Optimizer = Lap(clock) };
    }

    public void Dispose() => _fence.Dispose();

    /// <summary>
    /// Seconds since the last lap. On CUDA the kernels queued so far are waited for first: libtorch returns as soon as
    /// work is queued, so without the wait a phase's time would land in whichever later phase reads a value back.
    /// </summary>
    private double Lap(Stopwatch clock)
    {
        if (components.Session.Device.type == DeviceType.CUDA)
        {
            cuda.synchronize(components.Session.Device);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return seconds;
    }
}
