using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Data;

/// <summary>Packing tests/fixtures/hf-parquet/shapes.parquet, written by DuckDB (see make-fixture.mjs there).</summary>
public sealed class HfParquetPackerTests
{
    private static readonly string s_fixture = Path.Combine(Repo.Root, "tests", "fixtures", "hf-parquet", "shapes.parquet");

    private static async Task<List<DocumentRecord>> ReadAll(string directory) =>
        [.. (await ShardedDataset.Open(directory).ReadAllAsync().ToListAsync()).Select(r => r.Document)];

    [Fact]
    public async Task RowsBecomeDocumentsWithTheirMediaAndText()
    {
        using var temp = new TempDirectory();

        var manifest = await HfParquetPacker.PackAsync([s_fixture], [], "id", temp.Path, 1 << 20, 64, workers: 2);

        Assert.Equal(3, manifest.Documents);
        Assert.True((await DatasetVerifier.VerifyAsync(temp.Path)).IsValid);
        var documents = await ReadAll(temp.Path);
        Assert.Equal(["0", "1", "2"], documents.Select(d => d.Id));
        Assert.Equal(["image", "text"], documents[0].Segments.Select(s => s.Modality));
        Assert.Equal(("png", 64, 64), (documents[0].Segments[0].Encoding, documents[0].Segments[0].Width, documents[0].Segments[0].Height));
        Assert.Equal("a medium red star at the middle right.", documents[0].Segments[1].Text);
        Assert.Equal(["text", "audio"], documents[2].Segments.Select(s => s.Modality));
        Assert.Equal((16_000, 1.0), (documents[2].Segments[1].SampleRate, documents[2].Segments[1].DurationSeconds));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Repo.Root, "tests", "fixtures", "hf-parquet", "media", "red-star.png")), documents[0].Segments[0].Data);
    }

    [Fact]
    public async Task ColumnsCanBeChosenAndOrdered()
    {
        using var temp = new TempDirectory();

        await HfParquetPacker.PackAsync([s_fixture], ["text", "image"], "none", temp.Path, 1 << 20, 64, workers: 1);

        var documents = await ReadAll(temp.Path);
        Assert.Equal(["text", "image"], documents[0].Segments.Select(s => s.Modality));
        Assert.Equal(["text"], documents[2].Segments.Select(s => s.Modality));
        Assert.Equal("shapes/0", documents[0].Id);
    }

    [Fact]
    public async Task AMissingColumnIsNamedWithTheColumnsThereAre()
    {
        using var temp = new TempDirectory();

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => HfParquetPacker.PackAsync([s_fixture], ["caption"], "id", temp.Path, 1 << 20, 64, 1));

        Assert.Contains("no column 'caption' (it has id, image, text, audio)", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Path) && Directory.EnumerateFiles(temp.Path).Any());
    }

    [Fact]
    public async Task AFileThatIsNotParquetIsNamed()
    {
        using var temp = new TempDirectory();
        var bogus = temp.Combine("bogus.parquet");
        File.WriteAllText(bogus, "this is not parquet");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => HfParquetPacker.PackAsync([bogus], [], "id", temp.Combine("out"), 1 << 20, 64, 1));

        Assert.StartsWith($"{bogus}: not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }
}
