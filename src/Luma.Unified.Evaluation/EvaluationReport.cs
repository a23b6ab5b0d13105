namespace Luma.Unified.Evaluation;

/// <summary>
/// Scores of a model on held-out shapes-world prompts; a score is null when the run lacks the modality it needs.
/// Caption accuracy is the mean share of the five image attributes (colour, shape, size, vertical and horizontal
/// position) the generated caption states correctly; text → image accuracies are the share of generated images
/// whose analysed colour, shape or grid cell (both position words) matches the prompt. The codec accuracies score the
/// prompts' own images after one trip through the image codec (encode, decode) with the same analyser: the most a
/// generated image can score, since the model's images come out of the same decoder.
/// </summary>
public sealed record EvaluationReport(
    int Prompts,
    double? CaptionAccuracy,
    double? CaptionExactMatch,
    IReadOnlyDictionary<string, double> CaptionAttributeAccuracy,
    double? T2iColorAccuracy,
    double? T2iShapeAccuracy,
    double? T2iPositionAccuracy,
    double? CodecColorAccuracy,
    double? CodecShapeAccuracy,
    double? CodecPositionAccuracy,
    double? AudioPitchAccuracy,
    double? VideoDirectionAccuracy,
    double Seconds);
