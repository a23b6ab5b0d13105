using System.Text.RegularExpressions;
using Luma.Unified.Cli;
using Luma.Unified.Training.Observability;
using Spectre.Console;

namespace Luma.Unified.Tests.Cli;

public sealed class LiveProgressTests
{
    [Theory]
    [InlineData(true, null, null, true)]
    [InlineData(true, "", null, true)]
    [InlineData(true, "true", null, false)]
    [InlineData(true, "1", null, false)]
    [InlineData(false, null, null, false)]
    [InlineData(false, "true", null, false)]
    [InlineData(true, null, "plain", false)]
    [InlineData(true, null, "live", true)]
    public void ALiveBarIsDrawnOnlyOnATerminalOutsideCiUnlessPlainProgressIsAsked(bool isTerminal, string? ci, string? progress, bool expected) =>
        Assert.Equal(expected, ConsoleProgress.WantsLiveBar(isTerminal, ci, progress));

    [Fact]
    public void LogLinesWrittenUnderTheBarArriveWholeAndTheBarEndsAtTheLastStepWithItsLoss()
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, ColorSystem = ColorSystemSupport.NoColors,
        });

        var steps = ConsoleProgress.Live(console, "train", 3, bar =>
        {
            using var log = RunLogging.Create(jsonLogFile: null, bar.Log);
            for (var step = 1; step <= 3; step++)
            {
                log.Information("step {Step}/{Steps} loss {Loss:0.0000}", step, 3, 1.0 / step);
                bar.Report(step, $"step {step}/3 loss {1.0 / step:0.0000}");
            }
            return 3;
        });

        var output = text.ToString();
        Assert.Equal(3, steps);
        for (var step = 1; step <= 3; step++)
        {
            Assert.Matches(new Regex($@"\[\d\d:\d\d:\d\d INF\] step {step}/3 loss {1.0 / step:0.0000}\r?\n"), output);
        }
        var lastBar = output[output.LastIndexOf("train step", StringComparison.Ordinal)..];
        Assert.StartsWith("train step 3/3 loss 0.3333", lastBar, StringComparison.Ordinal);
        Assert.Contains("100%", lastBar, StringComparison.Ordinal);
    }
}
