using System.ComponentModel.DataAnnotations;

namespace Luma.Unified.Config.Options;

/// <summary>Arithmetic of the forward/backward pass.</summary>
public enum Precision
{
    /// <summary>Everything in fp32.</summary>
    Fp32,

    /// <summary>fp32 weights, optimizer state and gradients; matmuls and attention in bf16 by explicit casts.</summary>
    Bf16Mixed,

    /// <summary>bf16-mixed where this machine's bf16 matmul measures faster than fp32, fp32 otherwise.</summary>
    Auto,
}

/// <summary>[train]: optimisation.</summary>
public sealed record TrainOptions : IValidatableOptions
{
    /// <summary>Optimizer steps.</summary>
    [Range(1, 100_000_000)]
    public int Steps { get; init; } = 300;

    /// <summary>Rows per forward/backward on one rank.</summary>
    [Range(1, 1_000_000)]
    public int MicroBatch { get; init; } = 16;

    /// <summary>Rows per optimizer step over all ranks; gradient accumulation = global / (micro × ranks).</summary>
    [Range(1, 100_000_000)]
    public int GlobalBatch { get; init; } = 16;

    /// <summary>Peak learning rate, reached after warm-up.</summary>
    [Range(0.0, 10.0)]
    public double Lr { get; init; } = 3e-3;

    /// <summary>Learning rate at the end of the cosine decay.</summary>
    [Range(0.0, 10.0)]
    public double MinLr { get; init; } = 3e-4;

    /// <summary>Linear warm-up steps.</summary>
    [Range(0, 100_000_000)]
    public int WarmupSteps { get; init; } = 20;

    /// <summary>AdamW decoupled weight decay (matrices only; norms and embeddings are not decayed).</summary>
    [Range(0.0, 10.0)]
    public double WeightDecay { get; init; } = 0.1;

    [Range(0.0, 0.9999999)]
    public double Beta1 { get; init; } = 0.9;

    [Range(0.0, 0.9999999)]
    public double Beta2 { get; init; } = 0.95;

    [Range(1e-12, 1e-2)]
    public double Eps { get; init; } = 1e-8;

    /// <summary>Clip the global gradient norm to this value; 0 disables clipping.</summary>
    [Range(0.0, 1e6)]
    public double GradClip { get; init; } = 1.0;

    /// <summary>skip: a step with a non-finite loss or gradient is not applied and is counted; halt: stop the run.</summary>
    public NonFinitePolicy OnNonFinite { get; init; } = NonFinitePolicy.Skip;

    /// <summary>Warn (with the batch's document ids) when a step's loss is this many standard deviations above the last 100 steps'; 0 disables.</summary>
    [Range(0.0, 1000.0)]
    public double SpikeZscore { get; init; } = 6.0;

    /// <summary>fp32, bf16-mixed, or auto: whichever of the two this machine multiplies faster (see docs/precision.md).</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Log a metrics line every N steps.</summary>
    [Range(1, 1_000_000)]
    public int LogEvery { get; init; } = 10;

    /// <summary>Compute validation loss every N steps (and at the end); 0 disables.</summary>
    [Range(0, 1_000_000)]
    public int EvalEvery { get; init; } = 100;

    /// <summary>Validation batches per evaluation.</summary>
    [Range(1, 10_000)]
    public int EvalBatches { get; init; } = 4;

    /// <summary>At every evaluation step, text → image samples drawn into <c>RUN_DIR/samples/step_N.png</c> (and text → audio into a WAV) with the current (EMA) weights; 0 disables.</summary>
    [Range(0, 64)]
    public int EvalSamples { get; init; } = 4;

    /// <summary>Weight of each modality's loss in the total, by modality name (e.g. <c>{image: 2.0}</c>); unnamed modalities weigh 1.</summary>
    public ConfigMapping LossWeights { get; init; } = new([], "defaults");

    /// <summary>Decay of the exponential moving average of the weights that sampling uses; 0 = no EMA.</summary>
    [Range(0.0, 0.999999)]
    public double EmaDecay { get; init; }

    /// <summary>Data parallelism: gradients are summed over ranks in buckets of at most this many megabytes.</summary>
    [Range(0.001, 100_000.0)]
    public double BucketMb { get; init; } = 25;

    /// <summary>0: every rank holds the whole optimizer state; 1: ZeRO-1, AdamW's state sharded across ranks.</summary>
    [Range(0, 1)]
    public int ZeroStage { get; init; }

    /// <summary>A collective that does not complete in this many seconds (a rank died or hangs) ends the job with an error.</summary>
    [Range(1.0, 86_400.0)]
    public double CollectiveTimeoutS { get; init; } = 300;

    /// <summary>Gradient accumulation micro-steps per optimizer step for <paramref name="ranks"/> data-parallel ranks.</summary>
    public int AccumulationSteps(int ranks) => GlobalBatch / (MicroBatch * ranks);

    /// <inheritdoc/>
    public IEnumerable<OptionProblem> Validate()
    {
        if (GlobalBatch % MicroBatch != 0)
        {
            yield return new(nameof(GlobalBatch), $"global_batch ({GlobalBatch}) must be a multiple of micro_batch ({MicroBatch}) × ranks");
        }
        if (MinLr > Lr)
        {
            yield return new(nameof(MinLr), $"min_lr ({MinLr}) must not exceed lr ({Lr})");
        }
        if (WarmupSteps > Steps)
        {
            yield return new(nameof(WarmupSteps), $"warmup_steps ({WarmupSteps}) must not exceed steps ({Steps})");
        }
    }
}
