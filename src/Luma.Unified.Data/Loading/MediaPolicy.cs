namespace Luma.Unified.Data.Loading;

/// <summary>
/// The random choices a training batch makes about its media, drawn from <see cref="Random"/> (seeded per step, so
/// a resumed run makes the same ones):
/// <list type="bullet">
/// <item>a noise group that later content of its document is conditioned on (an image followed by its caption, a
/// video frame followed by later frames) enters clean with <see cref="CleanProbability"/> — it then teaches the
/// reading direction (image → caption, next-frame prediction) and has no denoising loss;</item>
/// <item>a media segment with context before it loses that context with <see cref="ConditionDropout"/>, so the
/// same model gives the unconditional prediction classifier-free guidance needs.</item>
/// </list>
/// </summary>
public sealed record MediaPolicy(double CleanProbability, double ConditionDropout, Random Random)
{
    /// <summary>No clean groups, no dropped conditions: evaluation batches.</summary>
    public static MediaPolicy Deterministic => new(0, 0, new Random(0));

    /// <summary>Whether to keep a group clean.</summary>
    public bool KeepClean() => CleanProbability > 0 && Random.NextDouble() < CleanProbability;

    /// <summary>Whether to drop a segment's condition.</summary>
    public bool DropCondition() => ConditionDropout > 0 && Random.NextDouble() < ConditionDropout;
}
