using System.Text.Json;
using ScottPlot;

namespace Luma.Unified.Training.Observability;

/// <summary>
/// Draws a run's loss curves from its <c>metrics.jsonl</c> into a PNG: the total training loss, each modality's
/// loss, and the validation loss, against the optimizer step (log-scaled loss axis, as losses fall by orders).
/// </summary>
public static class LossPlot
{
    /// <summary>The PNG's default name inside the run directory.</summary>
    public const string FileName = "loss.png";

    /// <summary>Writes the plot of <paramref name="metricsFile"/> to <paramref name="pngFile"/>; returns the series drawn, by name.</summary>
    public static IReadOnlyList<string> Draw(string metricsFile, string pngFile, int width = 1000, int height = 600)
    {
        var series = Read(metricsFile);
        if (series.Count == 0)
        {
            throw new InvalidDataException($"{metricsFile}: no loss values to plot (has the run logged a step yet?)");
        }
        var plot = new Plot();
        foreach (var (name, points) in series)
        {
            var line = plot.Add.Scatter(points.Select(p => p.Step).ToArray(), points.Select(p => Math.Log10(p.Loss)).ToArray());
            line.LegendText = name;
            line.MarkerSize = name == "validation" ? 6 : 0;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = false,
            LabelFormatter = log => Math.Pow(10, log).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Title(Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(metricsFile))) ?? "");
        plot.XLabel("step");
        plot.YLabel("loss (nats per token, log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(pngFile, width, height);
        return [.. series.Keys];
    }

    private static Dictionary<string, List<(double Step, double Loss)>> Read(string metricsFile)
    {
        var series = new Dictionary<string, List<(double, double)>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(metricsFile))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            JsonElement record;
            try
            {
                record = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{metricsFile}:{lineNumber}: not a JSON object ({e.Message})");
            }
            if (!record.TryGetProperty("step", out var step) || step.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidDataException($"{metricsFile}:{lineNumber}: no numeric \"step\"");
            }
            foreach (var property in record.EnumerateObject())
            {
                var name = property.Name switch
                {
                    "loss" => "train",
                    "val_loss" => "validation",
                    _ when property.Name.StartsWith("loss_", StringComparison.Ordinal) => $"train {property.Name["loss_".Length..]}",
                    _ => null,
                };
                // A window whose steps were all skipped has no loss (written as the string "NaN"); leave it out.
                if (name is null || property.Value.ValueKind != JsonValueKind.Number || !(property.Value.GetDouble() > 0))
                {
                    continue;
                }
                if (!series.TryGetValue(name, out var points))
                {
                    series[name] = points = [];
                }
                points.Add((step.GetDouble(), property.Value.GetDouble()));
            }
        }
        // With one modality its curve is the total's; draw it once.
        var modalities = series.Keys.Where(k => k.StartsWith("train ", StringComparison.Ordinal)).ToList();
        if (modalities.Count == 1)
        {
            series.Remove(modalities[0]);
        }
        return series;
    }
}
