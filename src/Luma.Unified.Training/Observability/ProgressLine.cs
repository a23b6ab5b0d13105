using System.Globalization;

namespace Luma.Unified.Training.Observability;

/// <summary>Formats the numbers of a progress line: percentages, rates and time left.</summary>
public static class ProgressLine
{
    /// <summary>"1h02m", "3m05s" or "42s".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span.TotalHours >= 1)
        {
            return $"{(int)span.TotalHours}h{span.Minutes:D2}m";
        }
        return span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:D2}s" : $"{Math.Max(0, (int)span.TotalSeconds)}s";
    }

    /// <summary>Time left at the current pace: elapsed × remaining / done.</summary>
    public static TimeSpan Eta(TimeSpan elapsed, int done, int total) =>
        done <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done);

    /// <summary>"12.3k" style rate.</summary>
    public static string Rate(double perSecond) => perSecond >= 1000
        ? (perSecond / 1000).ToString("0.0", CultureInfo.InvariantCulture) + "k"
        : perSecond.ToString("0", CultureInfo.InvariantCulture);
}
