using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Luma.Unified.Training.Observability;

/// <summary>Serilog for a run: human-readable lines on the console, compact JSON in <c>RUN_DIR/log.jsonl</c>.</summary>
public static class RunLogging
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A logger writing text lines to the console — or to <paramref name="console"/> when given (a live progress bar's
    /// writer, which prints them above the bar) — and, when given, compact JSON to <paramref name="jsonLogFile"/>.
    /// </summary>
    public static Serilog.Core.Logger Create(string? jsonLogFile, TextWriter? console = null)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var configuration = new LoggerConfiguration().MinimumLevel.Information();
        configuration = console is null
            ? configuration.WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: invariant)
            : configuration.WriteTo.Sink(new LineSink(console, new MessageTemplateTextFormatter(ConsoleTemplate, invariant)));
        if (jsonLogFile is not null)
        {
            configuration = configuration.WriteTo.File(new CompactJsonFormatter(), jsonLogFile, flushToDiskInterval: TimeSpan.FromSeconds(1));
        }
        return configuration.CreateLogger();
    }

    // Formats each event completely before writing it in one call, so a writer that prints whole lines sees whole lines.
    private sealed class LineSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            formatter.Format(logEvent, buffer);
            lock (writer)
            {
                writer.Write(buffer.ToString());
            }
        }
    }

    /// <summary>
    /// The logger of a data-parallel rank other than 0: warnings and errors only, on the console, marked with the
    /// rank (rank 0 writes the run's log; N copies of every line would say nothing more).
    /// </summary>
    public static Serilog.Core.Logger ForRank(int rank) =>
        new LoggerConfiguration()
            .MinimumLevel.Warning()
            .WriteTo.Console(outputTemplate: $"[{{Timestamp:HH:mm:ss}} {{Level:u3}}] rank {rank}: {{Message:lj}}{{NewLine}}{{Exception}}", formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
}
