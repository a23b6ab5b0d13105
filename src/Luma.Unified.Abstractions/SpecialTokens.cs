namespace Luma.Unified.Abstractions;

/// <summary>Names of the special tokens every tokenizer provides: document boundaries and media segment boundaries.</summary>
public static class SpecialTokens
{
    /// <summary>Begins a document.</summary>
    public const string BeginDocument = "<|bos|>";

    /// <summary>Ends a document.</summary>
    public const string EndDocument = "<|eos|>";

    /// <summary>The media kinds that get start/end markers around their segments.</summary>
    public static readonly string[] MarkedModalities = ["image", "video", "audio"];

    /// <summary>Every special token, in the order tokenizers assign them ids.</summary>
    public static readonly IReadOnlyList<string> All =
        [BeginDocument, EndDocument, .. MarkedModalities.SelectMany(m => new[] { Start(m), End(m) })];

    /// <summary><c>&lt;|image_start|&gt;</c> for <c>image</c>.</summary>
    public static string Start(string modality) => $"<|{modality}_start|>";

    /// <summary><c>&lt;|image_end|&gt;</c> for <c>image</c>.</summary>
    public static string End(string modality) => $"<|{modality}_end|>";
}
