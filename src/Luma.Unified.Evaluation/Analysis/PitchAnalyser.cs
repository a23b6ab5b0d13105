using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Media;

namespace Luma.Unified.Evaluation.Analysis;

/// <summary>
/// Finds the dominant frequency of a clip — a shapes-world tone is one sine, a generated one a sine with
/// artefacts — and names the vocabulary pitch nearest to it. The peak is searched over the whole spectrum
/// above <see cref="LowestHz"/>, not only at the vocabulary pitches, so a tone generated at the wrong pitch is
/// reported where it is rather than snapped to a right-sounding answer; <see cref="PitchEstimate.FrequencyHz"/>
/// says how far off it is.
/// </summary>
public static class PitchAnalyser
{
    /// <summary>Below this the spectrum is ignored: it holds DC offset and drift a decoder adds, not pitch (the vocabulary starts at 220 Hz).</summary>
    public const double LowestHz = 40;

    // A clip whose loudest sample is below this is silence: about -80 dBFS, far under the quiet tone's 0.25.
    private const double SilencePeak = 1e-4;

    /// <summary>The dominant frequency of <paramref name="clip"/>; null when it is empty, silent, or sampled too slowly to hold any frequency above <see cref="LowestHz"/>.</summary>
    public static PitchEstimate? Analyse(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.Samples.Length == 0 || clip.Samples.Max(Math.Abs) < SilencePeak)
        {
            return null;
        }
        var (magnitudes, length) = Spectrum.Of(clip.Samples);
        var hzPerBin = (double)clip.SampleRate / length;
        var first = Math.Max(1, (int)Math.Ceiling(LowestHz / hzPerBin));
        if (first >= magnitudes.Length - 1)
        {
            return null;
        }
        var peak = first;
        for (var k = first; k < magnitudes.Length - 1; k++)
        {
            if (magnitudes[k] > magnitudes[peak])
            {
                peak = k;
            }
        }
        var frequency = (peak + InterpolatedOffset(magnitudes, peak)) * hzPerBin;
        var nearest = ShapesVocabulary.PitchesHz.MinBy(pitch => Math.Abs(Math.Log(frequency / pitch)));
        return new PitchEstimate(frequency, nearest);
    }

    // Where between bins the true peak lies: a parabola through the log magnitudes of the peak bin and its
    // neighbours, exact for a Gaussian and within a few hundredths of a bin for a Hann window's main lobe.
    private static double InterpolatedOffset(double[] magnitudes, int peak)
    {
        if (peak < 1 || peak >= magnitudes.Length - 1)
        {
            return 0;
        }
        var (left, center, right) = (Math.Log(magnitudes[peak - 1] + 1e-12), Math.Log(magnitudes[peak] + 1e-12), Math.Log(magnitudes[peak + 1] + 1e-12));
        var curvature = left - 2 * center + right;
        return curvature < 0 ? 0.5 * (left - right) / curvature : 0;
    }
}
