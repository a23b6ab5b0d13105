using Luma.Unified.Cli;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;
using SkiaSharp;

namespace Luma.Unified.Tests.Cli;

public sealed class PlotCommandTests : TorchTest
{
    private static RunDirectory FakeRun(TempDirectory temp, params string[] metricsLines)
    {
        var run = RunDirectory.Create(temp.Combine("run"), "run:\n  name: plotted\n");
        File.WriteAllLines(run.MetricsFile, metricsLines);
        return run;
    }

    [Fact]
    public void TrainingEndsWithALossPlotInTheRunDirectory()
    {
        using var temp = new TempDirectory();
        var (_, run) = TinyTraining.Run(temp, "train.steps=10");

        using var png = SKBitmap.Decode(Path.Combine(run.Root, LossPlot.FileName));
        Assert.Equal((1000, 600), (png.Width, png.Height));
    }

    [Fact]
    public void PlotDrawsEveryLossSeriesOfAMultimodalRun()
    {
        using var temp = new TempDirectory();
        var run = FakeRun(temp,
            """{"step":1,"loss":5.5,"loss_text":5.4,"loss_image":5.9}""",
            """{"step":10,"loss":2.0,"loss_text":1.8,"loss_image":2.6,"val_loss":2.2}""",
            """{"step":20,"loss":"NaN","skipped_steps":10}""",
            """{"step":30,"loss":1.0,"loss_text":0.9,"loss_image":1.3,"val_loss":1.1}""");
        var png = temp.Combine("curves.png");

        var outcome = LumaProcess.InProcess("plot", run.Root, "--out", png);

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Equal($"{png}: train, train text, train image, validation", outcome.Output.Trim());
        using var image = SKBitmap.Decode(png);
        Assert.Equal(1000, image.Width);
        // Something other than the white background was drawn in the plot area.
        var colours = Enumerable.Range(100, 800).Select(x => image.GetPixel(x, 300)).Distinct().Count();
        Assert.True(colours > 3, $"{colours} colours on a row through the plot");
    }

    [Theory]
    [InlineData("{\"step\":1,\"loss\":5.5}\nnot json", "metrics.jsonl:2: not a JSON object")]
    [InlineData("{\"loss\":5.5}", "metrics.jsonl:1: no numeric \"step\"")]
    [InlineData("{\"step\":1,\"lr\":0.1}", "metrics.jsonl: no loss values to plot")]
    public void BadMetricsAreReportedWithFileAndLine(string metrics, string expected)
    {
        using var temp = new TempDirectory();
        var run = FakeRun(temp, metrics.Split('\n'));

        var outcome = LumaProcess.InProcess("plot", run.Root);

        Assert.Equal(ExitCodes.RuntimeFailure, outcome.ExitCode);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.Root, LossPlot.FileName)));
    }

    [Fact]
    public void ARunWithoutMetricsIsAUsageError()
    {
        using var temp = new TempDirectory();
        var run = RunDirectory.Create(temp.Combine("run"), "run:\n  name: empty\n");

        var outcome = LumaProcess.InProcess("plot", run.Root);

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("metrics.jsonl does not exist", outcome.Error, StringComparison.Ordinal);
    }
}
