using Luma.Unified.Data.Media;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Evaluation.Analysis;
using Xunit.Abstractions;

namespace Luma.Unified.Tests.Evaluation;

public sealed class PitchAnalyserTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryVocabularyToneIsReadAtItsPitch()
    {
        var worst = 0.0;
        foreach (var tone in ShapesWorldCatalogue.Tones)
        {
            var estimate = PitchAnalyser.Analyse(tone.Render(16_000));

            Assert.NotNull(estimate);
            Assert.Equal(tone.PitchHz, estimate.NearestVocabularyHz);
            worst = Math.Max(worst, Math.Abs(estimate.FrequencyHz / tone.PitchHz - 1));
        }
        output.WriteLine($"largest relative error over {ShapesWorldCatalogue.Tones.Count} tones: {worst:P3}");
        Assert.InRange(worst, 0, 0.0001);
    }

    [Fact]
    public void AnOffVocabularyToneIsReportedWhereItIs()
    {
        var estimate = PitchAnalyser.Analyse(new ToneSpec(300, 0.5, "quiet").Render(16_000));

        Assert.NotNull(estimate);
        Assert.InRange(estimate.FrequencyHz, 300 * 0.98, 300 * 1.02);
        Assert.Equal(330, estimate.NearestVocabularyHz);
    }

    [Fact]
    public void ANoisyToneWithAnOffsetKeepsItsPitch()
    {
        var random = new Random(9);
        var clean = new ToneSpec(523, 1.0, "quiet").Render(22_050);
        var noisy = clean with { Samples = clean.Samples.Select(s => (float)(s + 0.1 + 0.2 * (random.NextDouble() - 0.5))).ToArray() };

        Assert.Equal(523, PitchAnalyser.Analyse(noisy)?.NearestVocabularyHz);
    }

    [Fact]
    public void SilenceAndEmptyClipsHaveNoPitch()
    {
        Assert.Null(PitchAnalyser.Analyse(new AudioClip(16_000, new float[16_000])));
        Assert.Null(PitchAnalyser.Analyse(new AudioClip(16_000, [])));
    }
}
