namespace Luma.Unified.Model.Generation;

/// <summary>How the next token is drawn from the logits.</summary>
/// <param name="MaxNewTokens">Tokens to generate at most (fewer if the end-of-document token comes first).</param>
/// <param name="Temperature">Divides the logits; 0 = greedy (argmax).</param>
/// <param name="TopK">Keep only the k most likely tokens; 0 = all.</param>
/// <param name="TopP">Keep the smallest set of tokens whose probability reaches p (nucleus); 1 = all.</param>
/// <param name="Seed">Seed of the sampling generator: same seed, same text.</param>
public sealed record SamplingOptions(int MaxNewTokens = 64, double Temperature = 0.8, int TopK = 0, double TopP = 1.0, long Seed = 0)
{
    /// <summary>Rejects settings that have no meaning, naming the option.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentException($"--max-new-tokens must be at least 1, got {MaxNewTokens}.");
        }
        if (Temperature < 0 || !double.IsFinite(Temperature))
        {
            throw new ArgumentException($"--temperature must be ≥ 0 (0 = greedy), got {Temperature}.");
        }
        if (TopK < 0)
        {
            throw new ArgumentException($"--top-k must be ≥ 0 (0 = off), got {TopK}.");
        }
        if (TopP is <= 0 or > 1)
        {
            throw new ArgumentException($"--top-p must be in (0, 1], got {TopP}.");
        }
    }
}
