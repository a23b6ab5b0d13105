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
    public static bool IsInteractive => WantsLiveBar(!Console.IsErrorRedirected);

    /// <summary><see cref="WantsLiveBar(bool, string?, string?)"/> with this process's <c>CI</c> and <c>LUMA_PROGRESS</c>.</summary>
    public static bool WantsLiveBar(bool isTerminal) =>
        WantsLiveBar(isTerminal, Environment.GetEnvironmentVariable("CI"), Environment.GetEnvironmentVariable("LUMA_PROGRESS"));

    /// <summary>
    /// Whether output to a stream deserves a live bar: only a terminal does, and not under CI (<c>CI</c> set to anything),
    /// whose log viewers keep every redraw as a line, nor when <c>LUMA_PROGRESS=plain</c> asks for log lines (luma launch
    /// sets it for its workers when its own output is not a terminal: mpirun gives them a pseudo-terminal regardless).
    /// </summary>
    public static bool WantsLiveBar(bool isTerminal, string? ciVariable, string? progressVariable) =>
        isTerminal && string.IsNullOrEmpty(ciVariable) && progressVariable != "plain";

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
        return await Bar(console).StartAsync(async context =>
        {
            var task = context.AddTask(label, maxValue: Math.Max(1, total));
            var result = await work(new CallbackProgress(done => task.Value = done));
            task.Value = task.MaxValue;
            return result;
        });
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a live bar on <paramref name="console"/> that it moves with
    /// <see cref="LiveProgress.Report"/>; what it writes to <see cref="LiveProgress.Log"/> prints above the bar.
    /// </summary>
    public static T Live<T>(IAnsiConsole console, string label, long total, Func<LiveProgress, T> work) =>
        Bar(console).Start(context => work(new LiveProgress(console, context.AddTask(Markup.Escape(label), maxValue: Math.Max(1, total)), label)));

    private static Progress Bar(IAnsiConsole console) => console.Progress()
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    // Progress<T> posts each report to the thread pool; calling back on the reporting thread keeps lines in order.
    private sealed class CallbackProgress(Action<long> onReport) : IProgress<long>
    {
        public void Report(long value) => onReport(value);
    }
}
