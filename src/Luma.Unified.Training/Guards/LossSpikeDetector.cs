namespace Luma.Unified.Training.Guards;

/// <summary>
/// Flags a step whose loss stands far above the recent ones: more than <c>train.spike_zscore</c> standard deviations
/// above the mean of the last <see cref="Window"/> unflagged steps. Spikes point at bad documents or an LR that is too
/// high, so the trainer logs the step's document ids with the warning. A flagged loss is kept out of the history, so
/// one spike does not hide the next.
/// </summary>
public sealed class LossSpikeDetector(double zScore)
{
    /// <summary>Steps of history the mean and standard deviation are taken over.</summary>
    public const int Window = 100;

    /// <summary>Steps of history needed before anything is flagged (the first steps of a run fall fast).</summary>
    public const int MinimumHistory = 20;

    private readonly Queue<double> _history = new();

    /// <summary>Spikes flagged so far.</summary>
    public int Spikes { get; private set; }

    /// <summary>True when <paramref name="loss"/> is a spike; <paramref name="mean"/> and <paramref name="sigmas"/> say how far above the history it is.</summary>
    public bool IsSpike(double loss, out double mean, out double sigmas)
    {
        mean = _history.Count == 0 ? double.NaN : _history.Average();
        var m = mean;
        var std = _history.Count < 2 ? 0 : Math.Sqrt(_history.Sum(x => (x - m) * (x - m)) / (_history.Count - 1));
        sigmas = std > 0 ? (loss - mean) / std : 0;
        if (zScore > 0 && _history.Count >= MinimumHistory && std > 0 && sigmas > zScore)
        {
            Spikes++;
            return true;
        }
        _history.Enqueue(loss);
        if (_history.Count > Window)
        {
            _history.Dequeue();
        }
        return false;
    }
}
