namespace Luma.Unified.Training.Benchmarking;

/// <summary>Seconds per measured step, by phase; <see cref="Other"/> is the rest of the wall time (schedule, bookkeeping).</summary>
public sealed record StepSplit(double DataWait, double Forward, double Backward, double Optimizer, double Collectives, double Other);

/// <summary>
/// What one benchmark run measured over its steps after warm-up. FLOP figures count model FLOPs only
/// (<see cref="ModelFlops"/>); MFU is achieved FLOP/s over the matmul peak measured for the run's compute dtype.
/// <see cref="PeakGpuMemoryBytes"/> is the most the device had in use after any step (<c>GpuMemory</c>), and
/// <see cref="GpuMemoryBeforeBytes"/> what it had in use before the first step; both null on CPU.
/// </summary>
public sealed record BenchmarkRun(
    string Precision,
    string PrecisionReason,
    string ComputeDtype,
    bool ActivationCheckpointing,
    int WarmupSteps,
    int Steps,
    int Threads,
    int Ranks,
    string Allocator,
    long Parameters,
    double StepSeconds,
    double TokensPerSecond,
    IReadOnlyDictionary<string, double> SamplesPerSecond,
    IReadOnlyDictionary<string, double> PositionsPerStep,
    IReadOnlyDictionary<string, double> FlopsPerToken,
    double ModelFlopsPerStep,
    double AchievedFlopsPerSecond,
    double PeakFlopsPerSecond,
    double Mfu,
    StepSplit StepTime,
    double DataWaitFraction,
    double LoaderStallFraction,
    long PeakRssBytes,
    long RssAfterWarmupBytes,
    long RssEndBytes,
    double RssGrowthFraction,
    long? PeakGpuMemoryBytes,
    long? GpuMemoryBeforeBytes,
    double FinalLoss)
{
    /// <summary>
    /// Whether <see cref="PeakGpuMemoryBytes"/> is this run's own: false when the device already held nearly as much
    /// before the run began (an earlier run's blocks, kept by libtorch's CUDA cache), which may hide a lower peak.
    /// </summary>
    public bool GpuPeakIsExact => PeakGpuMemoryBytes is { } peak && (GpuMemoryBeforeBytes ?? 0) < 0.95 * peak;
}

/// <summary>Measured matmul throughput of one dtype: GFLOP/s by square size and the best.</summary>
public sealed record PeakFigures(string Dtype, IReadOnlyDictionary<string, double> GflopsBySize, double Gflops);

/// <summary>
/// A whole <c>luma bench</c>: the machine, the measured peaks, the runs and the comparisons — bf16-mixed over fp32
/// tokens/s (and matmul peaks), and activation checkpointing's peak-memory saving (GPU memory on CUDA, else resident
/// memory) and step-time cost (fractions).
/// </summary>
public sealed record BenchmarkReport(
    string Config,
    string Cpu,
    int LogicalCores,
    IReadOnlyList<PeakFigures> Peaks,
    IReadOnlyList<BenchmarkRun> Runs,
    double? Bf16Speedup,
    double? Bf16PeakRatio,
    double? CheckpointingMemorySaving,
    double? CheckpointingTimeCost);
