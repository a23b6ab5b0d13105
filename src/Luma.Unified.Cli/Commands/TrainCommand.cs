using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

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
        var command = new Command("train", "Train the model a config describes; SIGINT/SIGTERM stop after the current step and save.");
        arguments.AddTo(command);
        command.Options.Add(runDirectory);
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var config = arguments.Load(parse);
            var root = parse.GetValue(runDirectory)
                ?? Path.Combine("runs", $"{config.Options.Run.Name}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
            if (Directory.Exists(Path.Combine(root, "checkpoints")) && Directory.EnumerateFileSystemEntries(Path.Combine(root, "checkpoints")).Any())
            {
                throw new UsageException($"{root} already holds checkpoints of an earlier run; pass a new --run-dir so they are not mixed or overwritten.");
            }
            var run = RunDirectory.Create(root, config.ToYaml());
            using var log = RunLogging.Create(run.LogFile);
            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
            var result = new Trainer(config, run, log).Run(stop.Token);
            output.WriteLine($"run directory: {run.Root}");
            output.WriteLine(FormattableString.Invariant($"loss: {result.FirstLoss:0.0000} -> {result.FinalLoss:0.0000}{(result.FinalValidationLoss is { } v ? $" (validation {v:0.0000})" : "")}"));
            return ExitCodes.Success;
        }));
        return command;
    }
}
