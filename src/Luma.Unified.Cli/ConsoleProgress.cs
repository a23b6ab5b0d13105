using System.Globalization;
using Spectre.Console;

namespace Luma.Unified.Cli;

/// <summary>
/// Progress for long commands: a live bar with rate and time left in an interactive terminal; plain
/// "label: n/total (p%)" lines on stderr every 10 % when output is redirected or CI is set.
/// </summary>
public static class ConsoleProgress
{
    /// <summary>True when a live bar makes sense: a terminal on stderr and not under CI.</summary>
    public static bool IsInteractive =>
        !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Runs <paramref name="work"/>, showing how much of <paramref name="total"/> it has reported.</summary>
    public static async Task<T> RunAsync<T>(string label, long total, TextWriter error, Func<IProgress<long>, Task<T>> work)
    {
        if (!IsInteractive)
        {
            var lastDecile = -1L;
            return await work(new CallbackProgress(done =>
            {
                var decile = total == 0 ? 10 : done * 10 / total;
                if (decile > lastDecile)
                {
                    lastDecile = decile;
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {done}/{total} ({100.0 * done / Math.Max(1, total):0}%)"));
                }
            }));
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: Math.Max(1, total));
                var result = await work(new CallbackProgress(done => task.Value = done));
                task.Value = task.MaxValue;
                return result;
            });
    }

    // Progress<T> posts each report to the thread pool; calling back on the reporting thread keeps lines in order.
    private sealed class CallbackProgress(Action<long> onReport) : IProgress<long>
    {
        public void Report(long value) => onReport(value);
    }
}
