namespace Luma.Unified.Training.Observability;

/// <summary>Averages the total loss and each modality's loss over the steps of one logging window.</summary>
public sealed class LossWindow
{
    private readonly Dictionary<string, (double Sum, int Steps)> _parts = new(StringComparer.Ordinal);
    private double _total;

    /// <summary>Steps added since the last reset.</summary>
    public int Steps { get; private set; }

    /// <summary>Adds one optimizer step's loss and its per-modality parts.</summary>
    public void Add(double total, IReadOnlyDictionary<string, double> parts)
    {
        _total += total;
        Steps++;
        foreach (var (name, value) in parts)
        {
            var (sum, steps) = _parts.GetValueOrDefault(name);
            _parts[name] = (sum + value, steps + 1);
        }
    }

    /// <summary>Mean total loss of the window; NaN when every step in it was skipped.</summary>
    public double Mean => Steps == 0 ? double.NaN : _total / Steps;

    /// <summary>Mean loss of each modality over the steps it appeared in, by name.</summary>
    public IReadOnlyDictionary<string, double> PartMeans =>
        _parts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value.Sum / p.Value.Steps);

    /// <summary>Starts a new window.</summary>
    public void Reset()
    {
        _parts.Clear();
        _total = 0;
        Steps = 0;
    }
}
