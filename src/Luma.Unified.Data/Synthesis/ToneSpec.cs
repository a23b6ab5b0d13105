using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Data.Synthesis;

/// <summary>A pure tone: what a shapes-world audio clip sounds like and its caption states.</summary>
public sealed record ToneSpec(int PitchHz, double DurationSeconds, string Loudness)
{
    /// <summary>Loudness words and the peak amplitude each is rendered at.</summary>
    public static readonly string[] Loudnesses = ["quiet", "loud"];

    /// <summary>Durations a tone takes, in seconds.</summary>
    public static readonly double[] Durations = [0.5, 1.0, 1.5];

    /// <summary>A tone drawn uniformly from the vocabulary.</summary>
    public static ToneSpec Random(Random random) => new(
        ShapesVocabulary.PitchesHz[random.Next(ShapesVocabulary.PitchesHz.Length)],
        Durations[random.Next(Durations.Length)],
        Loudnesses[random.Next(Loudnesses.Length)]);

    /// <summary>"a loud tone of 440 hz for 1.0 seconds."</summary>
    public string Caption => FormattableString.Invariant($"a {Loudness} tone of {PitchHz} hz for {DurationSeconds:0.0} seconds.");

    /// <summary>Peak amplitude: 0.25 quiet, 0.8 loud.</summary>
    public double Amplitude => Loudness == "quiet" ? 0.25 : 0.8;

    /// <summary>The tone as mono samples with 10 ms fades (no clicks) at <paramref name="sampleRate"/>.</summary>
    public AudioClip Render(int sampleRate)
    {
        var samples = new float[(int)Math.Round(DurationSeconds * sampleRate)];
        var fade = sampleRate / 100;
        for (var i = 0; i < samples.Length; i++)
        {
            var envelope = Math.Min(1.0, Math.Min(i, samples.Length - 1 - i) / (double)fade);
            samples[i] = (float)(Amplitude * envelope * Math.Sin(2 * Math.PI * PitchHz * i / sampleRate));
        }
        return new AudioClip(sampleRate, samples);
    }
}
