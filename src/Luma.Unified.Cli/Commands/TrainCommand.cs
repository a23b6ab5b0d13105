using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Luma.Unified.Runtime.Placement;
using Luma.Unified.Training;
using Luma.Unified.Training.Checkpointing;
using Luma.Unified.Training.Observability;
using Spectre.Console;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma train</c>: one training run into a run directory.</summary>
public static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var arguments = new ConfigArguments();
        var runDirectory = new Option<string?>("--run-dir")
        {
            Description = "Where config.yaml, log.jsonl, metrics.jsonl and checkpoints/ go (default: runs/NAME-TIMESTAMP).",
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue a run: 'auto' = the newest complete checkpoint in --run-dir (a fresh start if there is none), or a checkpoints/step_N directory.",
        };
        var allowConfigChange = new Option<bool>("--allow-config-change") { Description = "Resume even though the config differs from the checkpoint's (e.g. a new learning rate)." };
        var command = new Command("train", "Train the model a config describes; SIGINT/SIGTERM stop after the current step and save.");
        arguments.AddTo(command);
        command.Options.Add(runDirectory);
        command.Options.Add(resume);
        command.Options.Add(allowConfigChange);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var config = arguments.Load(parse);
            var root = parse.GetValue(runDirectory)
                ?? Path.Combine("runs", $"{config.Options.Run.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            var resumeFrom = parse.GetValue(resume) switch
            {
                null => null,
                "auto" => new CheckpointStore(new RunDirectory(Path.GetFullPath(root)), int.MaxValue).Latest(),
                var path when File.Exists(Path.Combine(path, "state.json")) => path,
                var path => throw new UsageException($"--resume {path}: not a complete checkpoint directory (no state.json); use 'auto' or a checkpoints/step_N directory."),
            };
            if (parse.GetValue(resume) is null && Directory.Exists(Path.Combine(root, "checkpoints")) && Directory.EnumerateFileSystemEntries(Path.Combine(root, "checkpoints")).Any())
            {
                throw new UsageException($"{root} already holds checkpoints of an earlier run; pass --resume auto to continue it, or a new --run-dir.");
            }
            if (resumeFrom is not null)
            {
                // Refuse before anything in the run directory is rewritten.
                Trainer.ResumeChanges(resumeFrom, config.ToYaml(), parse.GetValue(allowConfigChange));
            }
            // Under a launcher only rank 0 writes the run directory and its log.
            var rank = RankPlacement.Detect().Rank;
            var run = rank == 0 ? RunDirectory.Create(root, config.ToYaml()) : new RunDirectory(Path.GetFullPath(root));
            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            TrainingResult Train(TextWriter? console, IProgress<StepProgress>? progress)
            {
                using var log = rank == 0 ? RunLogging.Create(run.LogFile, console) : RunLogging.ForRank(rank);
                if (parse.GetValue(resume) == "auto" && resumeFrom is null)
                {
                    log.Information("--resume auto: no checkpoint in {RunDir} yet; starting from step 0", run.Root);
                }
                return new Trainer(config, run, log) { Progress = progress }.Run(stop.Token, resumeFrom, parse.GetValue(allowConfigChange));
            }
            // A live bar only when writing to a real terminal outside CI; otherwise the log's plain step lines are the progress.
            var result = rank == 0 && ReferenceEquals(output, Console.Out) && ConsoleProgress.WantsLiveBar(!Console.IsOutputRedirected)
                ? ConsoleProgress.Live(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }), "train", config.Options.Train.Steps,
                    bar => Train(bar.Log, new BarProgress(bar)))
                : Train(console: null, progress: null);
            if (rank != 0)
            {
                return ExitCodes.Success;
            }
            output.WriteLine($"run directory: {run.Root}");
            output.WriteLine(FormattableString.Invariant($"loss: {result.FirstLoss:0.0000} -> {result.FinalLoss:0.0000}{(result.FinalValidationLoss is { } v ? $" (validation {v:0.0000})" : "")}"));
            return ExitCodes.Success;
        }));
        return command;
    }

    private sealed class BarProgress(LiveProgress bar) : IProgress<StepProgress>
    {
        public void Report(StepProgress value) =>
            bar.Report(value.Step, FormattableString.Invariant($"step {value.Step}/{value.Steps} loss {value.Loss:0.0000}"));
    }
}
