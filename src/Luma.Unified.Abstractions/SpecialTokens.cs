namespace Luma.Unified.Abstractions;

/// <summary>Names of the special tokens every tokenizer provides.</summary>
public static class SpecialTokens
{
    /// <summary>Begins a document.</summary>
    public const string BeginDocument = "<|bos|>";

    /// <summary>Ends a document.</summary>
    public const string EndDocument = "<|eos|>";
}
