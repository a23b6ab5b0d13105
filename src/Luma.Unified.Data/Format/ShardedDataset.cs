using Parquet;
using Parquet.Serialization;

namespace Luma.Unified.Data.Format;

/// <summary>A dataset directory opened for reading: its manifest and row-group access to its shards.</summary>
public sealed class ShardedDataset
{
    private ShardedDataset(string directory, DatasetManifest manifest) => (Directory, Manifest) = (directory, manifest);

    /// <summary>The dataset directory.</summary>
    public string Directory { get; }

    /// <summary>The manifest read from <c>manifest.json</c>.</summary>
    public DatasetManifest Manifest { get; }

    /// <summary>Opens <paramref name="directory"/>; every shard the manifest lists must exist.</summary>
    public static ShardedDataset Open(string directory)
    {
        var manifest = DatasetManifest.Load(directory);
        foreach (var shard in manifest.Shards)
        {
            if (!File.Exists(Path.Combine(directory, shard.File)))
            {
                throw new FileNotFoundException($"{directory}: shard {shard.File} listed in {DatasetManifest.FileName} is missing.");
            }
        }
        return new ShardedDataset(directory, manifest);
    }

    /// <summary>Full path of shard <paramref name="shard"/>.</summary>
    public string ShardPath(int shard) => Path.Combine(Directory, Manifest.Shards[shard].File);

    /// <summary>The documents of one row group; a damaged file is an error naming shard and row group.</summary>
    public async Task<IList<DocumentRecord>> ReadRowGroupAsync(int shard, int rowGroup, CancellationToken cancel = default)
    {
        var path = ShardPath(shard);
        try
        {
            await using var stream = File.OpenRead(path);
            var result = await ParquetSerializer.DeserializeAsync<DocumentRecord>(stream, new ParquetOptions(), rowGroup, cancel);
            return result.Data;
        }
        catch (Exception e) when (e is not OperationCanceledException and not FileNotFoundException)
        {
            throw new InvalidDataException($"{Manifest.Shards[shard].File} row group {rowGroup}: cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The row index within shard <paramref name="shard"/> at which each of its row groups starts.</summary>
    public async Task<long[]> RowGroupStartsAsync(int shard)
    {
        await using var reader = await ParquetReader.CreateAsync(ShardPath(shard));
        var starts = new long[reader.RowGroupCount];
        for (var g = 1; g < starts.Length; g++)
        {
            starts[g] = starts[g - 1] + reader.RowGroups[g - 1].RowCount;
        }
        return starts;
    }

    /// <summary>Every document of every shard, in storage order, with its shard index and row within the shard.</summary>
    public async IAsyncEnumerable<(int Shard, long Row, DocumentRecord Document)> ReadAllAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancel = default)
    {
        for (var shard = 0; shard < Manifest.Shards.Count; shard++)
        {
            long row = 0;
            for (var group = 0; group < Manifest.Shards[shard].RowGroups; group++)
            {
                foreach (var document in await ReadRowGroupAsync(shard, group, cancel))
                {
                    yield return (shard, row++, document);
                }
            }
        }
    }
}
