using Luma.Unified.Abstractions;
using Luma.Unified.Config;
using Luma.Unified.Config.Options;
using Luma.Unified.Data.Corpus;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Loading;
using Luma.Unified.Modalities.Text;

namespace Luma.Unified.Training;

/// <summary>What a document source factory gets: the [data] options, seed, this rank's place, and which documents to keep.</summary>
public sealed record DocumentSourceContext(DataOptions Data, long Seed, int Rank, int WorldSize, Func<string, bool> Include, string ConfigSource);

/// <summary>A document stream and its share of the mix.</summary>
public sealed record WeightedStream(IDocumentStream Stream, double Weight);

/// <summary>
/// The name-keyed registries a config refers to (<c>data.tokenizer</c>, <c>data.source</c>), holding the
/// built-in components. Plugins register into the same registries; a duplicate name is an error.
/// </summary>
public static class BuiltInComponents
{
    /// <summary>Tokenizers by name.</summary>
    public static Registry<ITokenizer, DataOptions> Tokenizers { get; } =
        new Registry<ITokenizer, DataOptions>("tokenizer")
            .Register("byte", _ => new ByteTokenizer())
            .Register("o200k_base", _ => new TiktokenEncoding("o200k_base"))
            .Register("cl100k_base", _ => new TiktokenEncoding("cl100k_base"))
            .Register("hf-json", HfJson);

    /// <summary>Document sources by name: each yields this rank's streams, mixed by weight.</summary>
    public static Registry<IReadOnlyList<WeightedStream>, DocumentSourceContext> DocumentSources { get; } =
        new Registry<IReadOnlyList<WeightedStream>, DocumentSourceContext>("document source")
            .Register("shapes-captions", c =>
                [new WeightedStream(new CorpusDocumentStream(new ShapesCaptionCorpus(c.Data.Documents, c.Seed), c.Seed, c.Rank, c.WorldSize, c.Include), 1)])
            .Register("shards", Shards);

    private static ITokenizer HfJson(DataOptions data)
    {
        if (string.IsNullOrWhiteSpace(data.TokenizerFile))
        {
            throw new ConfigException("data.tokenizer_file: the 'hf-json' tokenizer needs the path of a Hugging Face tokenizer.json.");
        }
        try
        {
            return HfBpeTokenizer.Load(data.TokenizerFile);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ConfigException($"data.tokenizer_file = '{data.TokenizerFile}': {e.Message}");
        }
    }

    private static IReadOnlyList<WeightedStream> Shards(DocumentSourceContext c)
    {
        if (c.Data.Paths.Count == 0)
        {
            throw ConfigException.At(c.ConfigSource, "data.paths", null, "the 'shards' source needs at least one dataset directory, e.g. paths: [data/shapes].");
        }
        return [.. c.Data.Paths.Select((path, i) =>
        {
            ShardedDataset dataset;
            try
            {
                dataset = ShardedDataset.Open(path);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
            {
                throw ConfigException.At(c.ConfigSource, $"data.paths[{i}]", path, e.Message);
            }
            var stream = new ShardDocumentStream(dataset, SeedMixer.Mix(c.Seed, i), c.Rank, c.WorldSize, c.Data.ShuffleRowGroups, c.Include);
            return new WeightedStream(stream, c.Data.Weights.Count == 0 ? 1.0 : c.Data.Weights[i]);
        })];
    }
}
