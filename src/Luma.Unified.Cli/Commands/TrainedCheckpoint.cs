using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Model.Generation;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;

namespace Luma.Unified.Cli.Commands;

/// <summary>
/// A trained checkpoint opened for generation, as <c>luma sample</c> and <c>luma eval</c> take it: the run's config
/// and components, the weights (the EMA when the checkpoint holds one), and where they came from.
/// </summary>
public sealed record TrainedCheckpoint(string Directory, LoadedConfig Config, RunComponents Components, int Step, bool Ema)
{
    /// <summary>
    /// Opens <paramref name="path"/> (a run directory, whose newest checkpoint is used, or one checkpoint) and says which on
    /// <paramref name="error"/>; <paramref name="preferEma"/> false keeps the optimizer's weights even when an EMA is saved.
    /// </summary>
    public static TrainedCheckpoint Open(string path, TextWriter error, bool preferEma = true)
    {
        var (runRoot, checkpointDirectory) = Locate(path);
        var config = ConfigLoader.Load(RunDirectory.Open(runRoot).ConfigFile, []);
        var components = RunComponents.Build(config);
        var (state, ema) = preferEma
            ? CheckpointStore.LoadForInference(checkpointDirectory, components.Model)
            : (CheckpointStore.Load(checkpointDirectory, components.Model, optimizer: null), false);
        error.WriteLine($"checkpoint: {checkpointDirectory} (step {state.Step}{(ema ? ", EMA weights" : "")})");
        return new TrainedCheckpoint(checkpointDirectory, config, components, state.Step, ema);
    }

    /// <summary>
    /// The run's <c>diffusion</c> sampling settings with the command line's overrides; a bad override is a usage error.
    /// </summary>
    public LatentSampling Latents(int? steps, double? cfgScale, string? sampler, long seed)
    {
        if (steps is < 1 or > 1000)
        {
            throw new UsageException("--steps must be between 1 and 1000.");
        }
        if (cfgScale is < 0)
        {
            throw new UsageException("--cfg-scale must be ≥ 0.");
        }
        var defaults = LatentSampling.From(Config.Options.Diffusion, seed);
        return defaults with
        {
            Sampler = sampler switch
            {
                null => defaults.Sampler,
                "euler" => FlowSamplerKind.Euler,
                "heun" => FlowSamplerKind.Heun,
                _ => throw new UsageException($"--sampler {sampler}: expected euler or heun."),
            },
            Steps = steps ?? defaults.Steps,
            CfgScale = cfgScale ?? defaults.CfgScale,
        };
    }

    /// <summary>(run directory, checkpoint directory) for a path that is either.</summary>
    private static (string Run, string Checkpoint) Locate(string path)
    {
        if (File.Exists(Path.Combine(path, "state.json")))
        {
            var runRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))!;
            return (runRoot, path);
        }
        if (!System.IO.Directory.Exists(path))
        {
            throw new UsageException($"--checkpoint {path}: no such directory; pass the --run-dir of a `luma train` run or one of its checkpoints/step_N directories.");
        }
        var run = RunDirectory.Open(path);
        var latest = new CheckpointStore(run, keepLast: int.MaxValue).Latest()
            ?? throw new FileNotFoundException($"{run.CheckpointsDirectory} holds no complete checkpoint yet.");
        return (run.Root, latest);
    }
}
