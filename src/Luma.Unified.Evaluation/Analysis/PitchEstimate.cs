namespace Luma.Unified.Evaluation.Analysis;

/// <summary>The strongest frequency in a clip, and the vocabulary pitch a caption would name for it.</summary>
/// <param name="FrequencyHz">The spectral peak, interpolated between FFT bins (within 0.01% on every vocabulary tone rendered at 16 kHz).</param>
/// <param name="NearestVocabularyHz">The <see cref="Data.Corpus.ShapesVocabulary.PitchesHz"/> entry nearest on a log scale, as pitch is heard.</param>
public sealed record PitchEstimate(double FrequencyHz, int NearestVocabularyHz);
