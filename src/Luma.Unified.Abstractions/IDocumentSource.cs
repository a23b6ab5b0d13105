namespace Luma.Unified.Abstractions;

/// <summary>One training document with a stable id (for logs, resume and bad-batch reports).</summary>
public sealed record TextDocument(string Id, string Text);

/// <summary>A finite, ordered collection of documents that a loader streams from.</summary>
public interface IDocumentSource
{
    /// <summary>Number of documents.</summary>
    int Count { get; }

    /// <summary>The document at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    TextDocument Get(int index);
}
