using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Luma.Unified.Config;
using Luma.Unified.Data.Loading;
using Luma.Unified.Heads;
using Luma.Unified.Runtime.Performance;
using Luma.Unified.Runtime.Randomness;
using Luma.Unified.Training.Checkpointing;
using Luma.Unified.Training.Distributed;
using Luma.Unified.Training.Guards;
using Luma.Unified.Training.Observability;
using Luma.Unified.Training.Optimization;
using Luma.Unified.Training.Stepping;
using Serilog;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Luma.Unified.Training;

/// <summary>
/// Runs optimisation for a config: micro-batches with gradient accumulation, global-norm clipping, AdamW
/// under a warm-up + cosine schedule, periodic validation, metrics and checkpoints in the run directory. Under a
/// launcher it is one rank of a data-parallel job (see <see cref="DataParallel"/>); rank 0 alone writes the run directory.
/// </summary>
public sealed class Trainer(LoadedConfig config, RunDirectory run, ILogger log)
{
    /// <summary>
    /// Test seam: given the 1-based step and a micro-batch's loss, returns the loss training goes on with — lets
    /// tests inject a NaN into one modality's loss the way a bad batch would.
    /// </summary>
    internal Func<int, LossBreakdown, LossBreakdown>? LossFault { get; init; }

    /// <summary>Told after every optimizer step (the live progress bar of an interactive <c>luma train</c>).</summary>
    public IProgress<StepProgress>? Progress { get; init; }

    /// <summary>
    /// Test seam: given the components and the 0-based step, returns the step's micro-batches instead of the loader —
    /// lets a one-process reference train on exactly the rows several data-parallel ranks would read together.
    /// </summary>
    internal Func<RunComponents, int, IReadOnlyList<IReadOnlyList<PackedRow>>>? StepRows { get; init; }

    /// <summary>
    /// Trains to <c>train.steps</c>, or until <paramref name="stop"/> is signalled (then saves and returns). With
    /// <paramref name="resumeFrom"/> it continues from that checkpoint — weights, optimizer, RNG, data position and
    /// step — refusing a changed config (listing the changes) unless <paramref name="allowConfigChange"/>.
    /// </summary>
    public TrainingResult Run(CancellationToken stop = default, string? resumeFrom = null, bool allowConfigChange = false)
    {
        var options = config.Options;
        var train = options.Train;
        var components = RunComponents.Build(config);
        var (model, device) = (components.Model, components.Session.Device);
        using var parallel = DataParallel.Join(train, device, components.Modalities.Select(m => m.Name));
        var leader = parallel.IsLeader;
        parallel.SeedRandomStream(options.Run.Seed);
        var (microBatch, accumulation) = parallel.BatchSplit(train);
        using var loader = components.Loader(heldOut: false, parallel.World.Rank, parallel.World.WorldSize, microBatch, options.Run.Seed,
            reason => log.Warning("Skipped a document that does not decode: {Reason}", reason));
        using var update = ParameterUpdates.Create(parallel.World, model, train);
        var schedule = new WarmupCosineSchedule(train.Lr, train.MinLr, train.WarmupSteps, train.Steps);
        var checkpoints = new CheckpointStore(run, options.Checkpoint.KeepLast, options.Checkpoint.KeepEvery);
        var yaml = config.ToYaml();
        var configHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
        var tokensPerStep = (long)train.GlobalBatch * options.Data.SeqLen;
        var parameters = model.parameters().ToList();

        log.Information(
            "Training {Name}: {Parameters:N0} parameters, {Layers} layers × {Dim} wide, vocabulary {Vocabulary}, device {Device}, {Threads} threads, precision {Precision}",
            options.Run.Name, parameters.Sum(p => p.numel()), options.Model.Layers, options.Model.Dim,
            string.Join(" + ", model.Vocabulary.Blocks.Select(b => $"{b.Modality} {b.Size:N0}")),
            device.type, components.Session.Threads, components.Precision);
        log.Information(
            "{Steps} steps × {GlobalBatch} rows × {SeqLen} tokens ({Accumulation} micro-batches of {MicroBatch}); data {Source} ({ValidationFraction:P0} held out), {Workers} decode workers; run directory {RunDir}",
            train.Steps, train.GlobalBatch, options.Data.SeqLen, accumulation, microBatch, options.Data.Source, options.Data.ValidationFraction, options.Data.DecodeWorkers, run.Root);
        var stateBytes = parallel.StateBytesPerRank(update);
        if (parallel.World.WorldSize > 1)
        {
            log.Information(
                "Data parallel: {Rank}; gradients summed in buckets of {BucketMb} MB after each step's last backward; ZeRO stage {Stage}; optimizer state per rank {StateBytes} bytes",
                parallel.Describe(), train.BucketMb, train.ZeroStage, string.Join(" / ", stateBytes.Select(b => b.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))));
        }

        using var metrics = leader ? new MetricsWriter(run.MetricsFile) : null;
        var tensorboard = leader ? new TensorBoardWriter(run.TensorBoardDirectory) : null;
        var samples = leader ? new EvaluationSamples(components, run, log, tensorboard!) : null;
        model.train();
        var clock = Stopwatch.StartNew();
        // Only the leader reports MFU, so only it measures the peak: ranks measuring at once on shared cores would
        // each see a fraction of the machine.
        var utilisation = leader ? new UtilisationMeter(model, options.Data.SeqLen, MatmulThroughput.Peak(components.Precision.ComputeDtype, [1024, 2048], repeats: 2, device)) : null;
        if (utilisation is not null)
        {
            log.Information("Matmul peak of this device for MFU: {Gflops:0} GFLOP/s ({Dtype})", utilisation.Peak.Gflops, components.Precision.ComputeDtype);
        }
        var windowClock = Stopwatch.StartNew();
        double firstLoss = double.NaN, finalLoss = double.NaN;
        double? validationLoss = null;
        var window = new LossWindow();
        var guard = new NonFiniteStepGuard(train.OnNonFinite);
        var spikes = new LossSpikeDetector(train.SpikeZscore);
        var step = 0;
        using var ema = train.EmaDecay > 0 ? new ExponentialMovingAverage(model, train.EmaDecay) : null;
        if (resumeFrom is not null)
        {
            var changes = ResumeChanges(resumeFrom, yaml, allowConfigChange);
            var state = CheckpointStore.Load(resumeFrom, model, update.Optimizer, ema);
            update.LoadShard(resumeFrom);
            parallel.Resume(state, loader);
            step = state.Step;
            log.Information("Resumed from {Checkpoint} at step {Step}{Changes}", resumeFrom, step,
                changes.Count > 0 ? $" with config changes: {string.Join("; ", changes)}" : "");
        }
        using var stepper = new TrainingStep(components, loader, update, parallel, accumulation, ema) { LossFault = LossFault, StepRows = StepRows };
        var lastCheckpoint = "";
        string SaveCheckpoint(int atStep)
        {
            var ranks = parallel.GatherRankStates(loader.State);
            var shards = update.GatherShardFiles();
            return leader
                ? checkpoints.Save(model, update.Optimizer, new CheckpointState(atStep, loader.State, configHash, DateTimeOffset.UtcNow, Ranks: ranks), yaml, ema, shards)
                : "";
        }
        for (; step < train.Steps && !parallel.AnyStop(stop.IsCancellationRequested); step++)
        {
            var lr = schedule.At(step);
            var (rows, stepLoss, stepParts, gradNorm, composition) = stepper.Compute(step, lr);
            utilisation?.Add(composition);
            var done = step + 1;
            if (guard.Allows(done, stepLoss, stepParts, gradNorm, out var problem))
            {
                stepper.Apply(done);
                firstLoss = double.IsNaN(firstLoss) ? stepLoss : firstLoss;
                window.Add(stepLoss, stepParts);
                if (spikes.IsSpike(stepLoss, out var recentMean, out var sigmas))
                {
                    log.Warning("step {Step}: loss spike {Loss:0.0000}, {Sigmas:0.0} standard deviations above the recent mean {Mean:0.0000}; documents in the batch: {Documents}",
                        done, stepLoss, sigmas, recentMean, rows.SelectMany(r => r.SelectMany(row => row.DocumentIds)).Distinct().ToList());
                }
            }
            else
            {
                log.Warning("{Problem}; step skipped, weights and optimizer state unchanged ({Skipped} skipped so far)", problem, guard.SkippedSteps);
            }
            Progress?.Report(new StepProgress(done, train.Steps, stepLoss));
            var evaluate = train.EvalEvery > 0 && options.Data.ValidationFraction > 0 && (done % train.EvalEvery == 0 || done == train.Steps);
            double? validationNow = evaluate && leader ? ValidationLoss(components, train, options.Run.Seed) : null;
            validationLoss = validationNow ?? validationLoss;
            samples?.WriteIfDue(done, ema);
            if (done % train.LogEvery == 0 || done == train.Steps || step == 0 || evaluate)
            {
                finalLoss = window.Mean;
                var tokensPerSecond = tokensPerStep * window.Steps / windowClock.Elapsed.TotalSeconds;
                var record = new Dictionary<string, object>
                {
                    ["step"] = done,
                    ["loss"] = finalLoss,
                    ["lr"] = lr,
                    ["grad_norm"] = gradNorm,
                    ["tokens_per_s"] = tokensPerSecond,
                    ["mfu"] = utilisation?.TakeMfu(windowClock.Elapsed.TotalSeconds) ?? double.NaN,
                    ["rss_bytes"] = ProcessMemory.Resident(),
                    ["peak_rss_bytes"] = ProcessMemory.PeakResident(),
                    ["tokens_seen"] = tokensPerStep * done,
                    ["elapsed_s"] = clock.Elapsed.TotalSeconds,
                    ["data_wait_s"] = loader.WaitTime.TotalSeconds,
                    ["skipped_documents"] = loader.SkippedDocuments,
                    ["skipped_steps"] = guard.SkippedSteps,
                    ["loss_spikes"] = spikes.Spikes,
                };
                var parts = window.PartMeans;
                foreach (var (name, value) in parts)
                {
                    record[$"loss_{name}"] = value;
                }
                if (validationNow is { } v)
                {
                    record["val_loss"] = v;
                }
                metrics?.Write(record);
                tensorboard?.Write(done, record);
                log.Information(
                    "step {Step}/{Steps} ({Percent:0}%) loss {Loss:0.0000}{Parts}{Validation} lr {Lr:0.00e+00} grad {GradNorm:0.00} tok/s {TokensPerSecond} eta {Eta}",
                    done, train.Steps, 100.0 * done / train.Steps, finalLoss,
                    parts.Count > 1 ? $" ({string.Join(", ", parts.Select(p => FormattableString.Invariant($"{p.Key} {p.Value:0.0000}")))})" : "",
                    validationNow is { } vl ? $" val {vl:0.0000}" : "", lr, gradNorm,
                    ProgressLine.Rate(tokensPerSecond), ProgressLine.Duration(ProgressLine.Eta(clock.Elapsed, done, train.Steps)));
                window.Reset();
                windowClock.Restart();
            }
            if (options.Checkpoint.Every > 0 && done % options.Checkpoint.Every == 0 && done < train.Steps)
            {
                lastCheckpoint = SaveCheckpoint(done);
                log.Information("Saved checkpoint {Checkpoint}", lastCheckpoint);
            }
        }

        var stopped = step < train.Steps;
        if (stopped)
        {
            log.Warning("Stop requested: finishing at step {Step} of {Steps} and saving", step, train.Steps);
        }
        if (window.Steps > 0)
        {
            finalLoss = window.Mean;
        }
        lastCheckpoint = SaveCheckpoint(step);
        log.Information(
            "Finished {Steps} steps in {Elapsed}: loss {First:0.0000} → {Final:0.0000}; waited {DataWait:0.0} s for data; {Skipped} undecodable documents skipped; {SkippedSteps} non-finite steps skipped; checkpoint {Checkpoint}",
            step, ProgressLine.Duration(clock.Elapsed), firstLoss, finalLoss, loader.WaitTime.TotalSeconds, loader.SkippedDocuments, guard.SkippedSteps, lastCheckpoint);
        log.Information("Garbage collections kept out of the steps: {Renewals} no-GC regions, {Breaches} of them ended inside a step", stepper.Fence.Renewals, stepper.Fence.Breaches);
        if (leader)
        {
            WriteLossPlot();
        }
        parallel.Complete();
        return new TrainingResult(step, firstLoss, finalLoss, validationLoss, lastCheckpoint, stopped, guard.SkippedSteps);
    }

    /// <summary>
    /// The config changes resuming <paramref name="checkpoint"/> with <paramref name="yaml"/> would make; throws a
    /// <see cref="ConfigException"/> listing them unless <paramref name="allowConfigChange"/>.
    /// </summary>
    public static IReadOnlyList<string> ResumeChanges(string checkpoint, string yaml, bool allowConfigChange)
    {
        var saved = CheckpointStore.ConfigOf(checkpoint);
        var changes = saved is null ? [] : ConfigDiff.Between(saved, yaml);
        if (changes.Count > 0 && !allowConfigChange)
        {
            throw new ConfigException(
                $"{checkpoint} was written with another config; resuming would change:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", changes)}{Environment.NewLine}Pass --allow-config-change to resume anyway.");
        }
        return changes;
    }

    private void WriteLossPlot()
    {
        var png = Path.Combine(run.Root, LossPlot.FileName);
        try
        {
            LossPlot.Draw(run.MetricsFile, png);
            log.Information("Loss curves plotted to {Plot}", png);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            log.Warning("No loss plot: {Reason}", e.Message);
        }
    }

    /// <summary>Mean loss over the first <c>eval_batches</c> batches of the held-out documents (same batches every time).</summary>
    private static double ValidationLoss(RunComponents components, Config.Options.TrainOptions train, long seed)
    {
        var model = components.Model;
        using var loader = components.Loader(heldOut: true, rank: 0, worldSize: 1, train.MicroBatch, seed);
        model.eval();
        try
        {
            using var noGrad = no_grad();
            // Its own generator draws the same noise every time, so validation losses compare across steps and
            // leave the training random stream untouched.
            using var generator = SeededDraw.Generator(seed);
            double sum = 0;
            for (var i = 0; i < train.EvalBatches; i++)
            {
                using var scope = NewDisposeScope();
                using var batch = SequenceBatchBuilder.Build(loader.Next().Rows, components.Session.Device);
                using var loss = model.Loss(batch, generator);
                sum += loss.Total.item<float>();
            }
            return sum / train.EvalBatches;
        }
        finally
        {
            model.train();
        }
    }
}
