using Luma.Unified.Data.Format;

namespace Luma.Unified.Data.Loading;

/// <summary>A document and where it was read from ("shard-00001.parquet row 37"), for error reports.</summary>
public sealed record SourcedDocument(DocumentRecord Document, string Location);

/// <summary>
/// An endless, deterministic stream of one rank's documents: epochs follow one another, each in a seeded
/// order, and <see cref="Position"/> / <see cref="Restore"/> resume it exactly. Dataset sources implement it.
/// </summary>
public interface IDocumentStream
{
    /// <summary>Position of the document <see cref="Next"/> returns next.</summary>
    DocumentPosition Position { get; }

    /// <summary>Continues from <paramref name="position"/>.</summary>
    void Restore(DocumentPosition position);

    /// <summary>The next document.</summary>
    SourcedDocument Next();
}
