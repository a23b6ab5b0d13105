using System.Diagnostics;
using Luma.Unified.Config;
using Luma.Unified.Runtime.Native;
using Luma.Unified.Runtime.Performance;
using Luma.Unified.Training.Checkpointing;
using Luma.Unified.Training.Distributed;
using Luma.Unified.Training.Optimization;
using Luma.Unified.Training.Stepping;

namespace Luma.Unified.Training.Benchmarking;

/// <summary>How long to measure, and how the matmul peak is measured.</summary>
public sealed record BenchmarkSettings(int WarmupSteps, int Steps, IReadOnlyList<int> PeakSizes, int PeakRepeats);

/// <summary>
/// Runs the real training step (<see cref="TrainingStep"/>: the configured loader, model, optimizer and EMA) for
/// warm-up + measured steps and reports throughput, model FLOPs, MFU against the matmul peak measured in this
/// process, where the step's time went, and memory.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>
    /// Benchmarks <paramref name="config"/>; <paramref name="peak"/> measures the matmul peak of a compute dtype on the run's device,
    /// before the steps and again after them (the better figure counts, so a moment of load on a shared machine
    /// does not lower the peak and inflate MFU). <paramref name="progress"/> gets a line about every twentieth step:
    /// the step, seconds per step so far and resident memory.
    /// </summary>
    public static BenchmarkRun Run(LoadedConfig config, BenchmarkSettings settings, Func<TorchSharp.torch.ScalarType, TorchSharp.torch.Device, MatmulPeak> peak, Action<string>? progress = null)
    {
        var options = config.Options;
        var train = options.Train;
        var components = RunComponents.Build(config);
        using var gpuMemory = GpuMemory.Open(components.Session.Device);
        var gpuBefore = gpuMemory?.UsedBytes();
        // Disposed at the end, so a second run in the process measures its own memory, not this model's too.
        using var model = components.Model;
        // Under a launcher the step is the data-parallel one, collectives included.
        using var parallel = DataParallel.Join(train, components.Session.Device, components.Modalities.Select(m => m.Name));
        parallel.SeedRandomStream(options.Run.Seed);
        var (microBatch, accumulation) = parallel.BatchSplit(train);
        using var loader = components.Loader(heldOut: false, parallel.World.Rank, parallel.World.WorldSize, microBatch, options.Run.Seed);
        using var update = ParameterUpdates.Create(parallel.World, model, train);
        using var ema = train.EmaDecay > 0 ? new ExponentialMovingAverage(model, train.EmaDecay) : null;
        var total = settings.WarmupSteps + settings.Steps;
        var schedule = new WarmupCosineSchedule(train.Lr, train.MinLr, Math.Min(train.WarmupSteps, total), total);
        using var step = new TrainingStep(components, loader, update, parallel, accumulation, ema);
        var peakBefore = peak(components.Precision.ComputeDtype, components.Session.Device);
        model.train();
        long gpuPeak = 0;

        ProcessMemory.ResetPeak();
        var every = Math.Max(1, total / 20);
        var started = Stopwatch.StartNew();
        // After every step: the GPU's memory in use (its peak, as libtorch's cache keeps what a step reserved) and progress.
        void AfterStep(int done)
        {
            gpuPeak = Math.Max(gpuPeak, gpuMemory?.UsedBytes() ?? 0);
            if (progress is not null && (done % every == 0 || done == total))
            {
                progress(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"bench: step {done}/{total} ({100.0 * done / total:0}%), {started.Elapsed.TotalSeconds / done:0.000} s/step so far, RSS {ProcessMemory.Resident() >> 20} MiB"));
            }
        }
        // Resident memory is read after a full collection and a return of the heap's free pages, as the trainer makes
        // every 50 steps: free pages held at one step and not at another would otherwise read as growth or shrinkage.
        // The first reading comes before the last warm-up step, which faults the returned pages back in unmeasured.
        void WarmUp(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                Step(step, i, schedule);
                AfterStep(i + 1);
            }
        }
        var lastWarmup = Math.Max(0, settings.WarmupSteps - 1);
        WarmUp(0, lastWarmup);
        var rssAfterWarmup = SettledResident(step);
        WarmUp(lastWarmup, settings.WarmupSteps);
        var (timesBefore, stallBefore) = (step.Times, loader.WaitTime);
        var positions = new Dictionary<string, double>();
        var samples = new Dictionary<string, double>();
        double tokens = 0, loss = double.NaN;
        var clock = Stopwatch.StartNew();
        for (var i = settings.WarmupSteps; i < total; i++)
        {
            var computed = Step(step, i, schedule);
            AfterStep(i + 1);
            tokens += computed.Composition.Positions;
            loss = computed.Loss;
            Add(positions, computed.Composition.PositionsByModality);
            Add(samples, computed.Composition.SamplesByModality);
        }
        var wall = clock.Elapsed.TotalSeconds;
        var rssPeak = ProcessMemory.PeakResident();
        var rssEnd = SettledResident(step);
        var times = step.Times - timesBefore;
        var stall = (loader.WaitTime - stallBefore).TotalSeconds;
        var computePeak = peakBefore.Best(peak(components.Precision.ComputeDtype, components.Session.Device));

        var n = settings.Steps;
        var flopsPerToken = ModelFlops.PerPosition(model, positions.Keys, options.Data.SeqLen);
        var flopsPerStep = positions.Sum(p => p.Value * flopsPerToken[p.Key]) / n;
        var achieved = flopsPerStep * n / wall;
        var peakFlops = computePeak.Gflops * 1e9;
        parallel.Complete();
        return new BenchmarkRun(
            Precision: ConfigNaming.EnumValue(components.Precision.Precision),
            PrecisionReason: components.Precision.Reason,
            ComputeDtype: DtypeName(components.Precision.ComputeDtype),
            ActivationCheckpointing: options.Model.ActivationCheckpointing,
            WarmupSteps: settings.WarmupSteps,
            Steps: n,
            Threads: components.Session.Threads,
            Ranks: parallel.World.WorldSize,
            Allocator: OperatingSystem.IsLinux() ? $"{MallocTuning.Description}; free heap pages returned every {CollectionFence.TrimInterval} steps" : MallocTuning.Description,
            Parameters: model.parameters().Sum(p => p.numel()),
            StepSeconds: wall / n,
            TokensPerSecond: tokens / wall,
            SamplesPerSecond: samples.ToDictionary(s => s.Key, s => s.Value / wall),
            PositionsPerStep: positions.ToDictionary(p => p.Key, p => p.Value / n),
            FlopsPerToken: flopsPerToken,
            ModelFlopsPerStep: flopsPerStep,
            AchievedFlopsPerSecond: achieved,
            PeakFlopsPerSecond: peakFlops,
            Mfu: achieved / peakFlops,
            StepTime: new StepSplit(times.DataWait / n, times.Forward / n, times.Backward / n, times.Optimizer / n, times.Collectives / n, Math.Max(0, wall - times.Total) / n),
            DataWaitFraction: times.DataWait / wall,
            LoaderStallFraction: stall / wall,
            PeakRssBytes: rssPeak,
            RssAfterWarmupBytes: rssAfterWarmup,
            RssEndBytes: rssEnd,
            RssGrowthFraction: (double)(rssEnd - rssAfterWarmup) / rssAfterWarmup,
            PeakGpuMemoryBytes: gpuMemory is null ? null : gpuPeak,
            GpuMemoryBeforeBytes: gpuBefore,
            FinalLoss: loss);
    }

    /// <summary>fp32 / bf16 as reports spell them.</summary>
    public static string DtypeName(TorchSharp.torch.ScalarType dtype) => dtype == TorchSharp.torch.ScalarType.BFloat16 ? "bf16" : "fp32";

    private static long SettledResident(TrainingStep step)
    {
        step.Fence.Settle();
        return ProcessMemory.Resident();
    }

    private static ComputedStep Step(TrainingStep step, int index, WarmupCosineSchedule schedule)
    {
        var computed = step.Compute(index, schedule.At(index));
        step.Apply(index + 1);
        return computed;
    }

    private static void Add(Dictionary<string, double> totals, IReadOnlyDictionary<string, long> step)
    {
        foreach (var (key, value) in step)
        {
            totals[key] = totals.GetValueOrDefault(key) + value;
        }
    }
}
