using Luma.Unified.Abstractions;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Modalities.Text;

namespace Luma.Unified.Training;

/// <summary>What a document source factory gets: the [data] options and the run's seed.</summary>
public sealed record DocumentSourceContext(DataOptions Data, long Seed);

/// <summary>
/// The name-keyed registries a config refers to (<c>data.tokenizer</c>, <c>data.source</c>), holding the
/// built-in components. Plugins register into the same registries; a duplicate name is an error.
/// </summary>
public static class BuiltInComponents
{
    /// <summary>Tokenizers by name.</summary>
    public static Registry<ITokenizer, DataOptions> Tokenizers { get; } =
        new Registry<ITokenizer, DataOptions>("tokenizer")
            .Register("byte", _ => new ByteTokenizer());

    /// <summary>Document sources by name.</summary>
    public static Registry<IDocumentSource, DocumentSourceContext> DocumentSources { get; } =
        new Registry<IDocumentSource, DocumentSourceContext>("document source")
            .Register("shapes-captions", c => new ShapesCaptionCorpus(c.Data.Documents, c.Seed));
}
