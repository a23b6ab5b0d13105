using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Synthesis;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Data.Format;

public sealed class DatasetTests
{
    private static async Task<DatasetManifest> Synth(string directory, long documents = 120, long shardBytes = 200_000, int rowGroup = 16) =>
        await ShapesWorldBuilder.BuildAsync(directory, documents, seed: 1, new ShapesWorldOptions { ImageSize = 32 }, shardBytes, rowGroup);

    [Fact]
    public async Task SynthWritesShardsRowGroupsAndAManifestThatAddsUp()
    {
        using var temp = new TempDirectory();

        var manifest = await Synth(temp.Path);

        Assert.Equal(120, manifest.Documents);
        Assert.True(manifest.Shards.Count > 1, "a 200 kB shard target should split 120 documents");
        Assert.Equal(120, manifest.Shards.Sum(s => s.Rows));
        Assert.All(manifest.Shards, s => Assert.Equal(new FileInfo(Path.Combine(temp.Path, s.File)).Length, s.Bytes));
        Assert.Equal((120 + 15) / 16, manifest.Shards.Sum(s => s.RowGroups));
        Assert.Equal(["audio", "image", "text", "video"], manifest.Modalities.Keys);
        Assert.Equal(120, manifest.Modalities["text"].Documents);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
        Assert.Equal(manifest, DatasetManifest.Load(temp.Path) with { Shards = manifest.Shards, Modalities = manifest.Modalities });
    }

    [Fact]
    public async Task RowsReadBackInOrderWithTheirPayloads()
    {
        using var temp = new TempDirectory();
        await Synth(temp.Path, documents: 40);
        var world = new ShapesWorld(1, new ShapesWorldOptions { ImageSize = 32 });

        var rows = new List<DocumentRecord>();
        await foreach (var (_, _, document) in ShardedDataset.Open(temp.Path).ReadAllAsync())
        {
            rows.Add(document);
        }

        Assert.Equal(40, rows.Count);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"shapes/{i:D8}"), rows.Select(r => r.Id));
        var expected = world.Document(7);
        Assert.Equal(expected.Segments.Select(s => s.Text), rows[7].Segments.Select(s => s.Text));
        Assert.Equal(expected.Segments.Select(s => s.Data?.Length), rows[7].Segments.Select(s => s.Data?.Length));
    }

    [Fact]
    public async Task AnExistingDatasetIsNeverOverwritten()
    {
        using var temp = new TempDirectory();
        await Synth(temp.Path, documents: 10);

        var error = await Assert.ThrowsAsync<IOException>(() => Synth(temp.Path, documents: 10));
        Assert.Contains("already holds a dataset", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyPassesACleanDataset()
    {
        using var temp = new TempDirectory();
        await Synth(temp.Path, documents: 50);

        var report = await DatasetVerifier.VerifyAsync(temp.Path);

        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(50, report.Documents);
    }

    [Fact]
    public async Task ACorruptedShardIsReportedByNameAndChecksum()
    {
        using var temp = new TempDirectory();
        var manifest = await Synth(temp.Path, documents: 60);
        var shard = Path.Combine(temp.Path, manifest.Shards[1].File);
        var bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(shard, bytes);

        var report = await DatasetVerifier.VerifyAsync(temp.Path);

        Assert.False(report.IsValid);
        Assert.Contains(report.Problems, p => p.Shard == manifest.Shards[1].File && p.Reason.StartsWith("SHA-256 is", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Problems, p => p.Shard == manifest.Shards[0].File);
    }

    [Fact]
    public async Task ACorruptedMediaItemIsReportedByShardRowAndSegment()
    {
        using var temp = new TempDirectory();
        var writer = new DatasetWriter(temp.Path, 1_000_000, 8, "test");
        var world = new ShapesWorld(1, new ShapesWorldOptions { ImageSize = 32 });
        for (var i = 0; i < 12; i++)
        {
            var document = world.Document(i);
            if (i == 9)
            {
                var media = document.Segments.First(s => s.Data is not null);
                media.Data = media.Data![..(media.Data.Length / 3)];
            }
            await writer.AddAsync(document);
        }
        await writer.CompleteAsync();

        var report = await DatasetVerifier.VerifyAsync(temp.Path);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("shard-00000.parquet", problem.Shard);
        Assert.Equal(9, problem.Row);
        Assert.Contains("document 'shapes/00000009' segment", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateIdsAreRejectedWhileWriting()
    {
        using var temp = new TempDirectory();
        var writer = new DatasetWriter(temp.Path, 1_000_000, 8, "test");
        await writer.AddAsync(new DocumentRecord { Id = "a", Segments = [Segments.OfText("x")] });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.AddAsync(new DocumentRecord { Id = "a", Segments = [Segments.OfText("y")] }));
        Assert.Contains("'a' appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpeningADirectoryWithoutAManifestNamesIt()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => ShardedDataset.Open(temp.Path));
        Assert.Contains(temp.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("manifest.json is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpWritesFilesAPersonCanOpen()
    {
        using var temp = new TempDirectory();
        await Synth(temp.Combine("data"), documents: 10);

        var files = await DatasetInspector.DumpAsync(ShardedDataset.Open(temp.Combine("data")), temp.Combine("dump"), rows: 3);

        Assert.Contains(files, f => f.EndsWith(".txt", StringComparison.Ordinal));
        Assert.All(files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)), f => Assert.Equal(0x89, File.ReadAllBytes(f)[0]));
        Assert.All(files.Where(f => f.EndsWith(".wav", StringComparison.Ordinal)), f => Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(f)[..4])));
        Assert.All(files, f => Assert.StartsWith(temp.Combine("dump"), f, StringComparison.Ordinal));
    }
}
