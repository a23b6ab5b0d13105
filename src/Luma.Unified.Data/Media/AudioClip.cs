namespace Luma.Unified.Data.Media;

/// <summary>Mono audio: samples in [-1, 1] at <see cref="SampleRate"/> Hz.</summary>
public sealed record AudioClip(int SampleRate, float[] Samples)
{
    /// <summary>Length in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
