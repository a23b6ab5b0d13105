using Serilog;
using Serilog.Formatting.Compact;

namespace Luma.Unified.Training.Observability;

/// <summary>Serilog for a run: human-readable lines on the console, compact JSON in <c>RUN_DIR/log.jsonl</c>.</summary>
public static class RunLogging
{
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>A logger writing to the console and, when given, to <paramref name="jsonLogFile"/>.</summary>
    public static Serilog.Core.Logger Create(string? jsonLogFile)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (jsonLogFile is not null)
        {
            configuration = configuration.WriteTo.File(new CompactJsonFormatter(), jsonLogFile, flushToDiskInterval: TimeSpan.FromSeconds(1));
        }
        return configuration.CreateLogger();
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
