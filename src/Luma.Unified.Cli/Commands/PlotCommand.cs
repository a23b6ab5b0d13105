using System.CommandLine;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Cli.Commands;

/// <summary><c>luma plot RUN_DIR</c>: the loss curves of a run (finished or still going) as a PNG.</summary>
public static class PlotCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var runDirectory = new Argument<string>("RUN_DIR") { Description = "A run directory (holds metrics.jsonl)." };
        var outFile = new Option<string?>("--out") { Description = $"PNG to write (default RUN_DIR/{LossPlot.FileName})." };
        var command = new Command("plot", "Plot a run's training, per-modality and validation loss against the step into a PNG.") { runDirectory, outFile };
        command.SetAction(parse => CommandGuard.Run(error, () =>
        {
            var run = RunDirectory.Open(parse.GetValue(runDirectory)!);
            if (!File.Exists(run.MetricsFile))
            {
                throw new UsageException($"{run.MetricsFile} does not exist: the run has not logged a step yet.");
            }
            var png = Path.GetFullPath(parse.GetValue(outFile) ?? Path.Combine(run.Root, LossPlot.FileName));
            var series = LossPlot.Draw(run.MetricsFile, png);
            output.WriteLine($"{png}: {string.Join(", ", series)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
