using Luma.Unified.Data.Building;
using Luma.Unified.Data.Format;
using Luma.Unified.Data.Media;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Data;

public sealed class JsonlPackerTests
{
    [Fact]
    public async Task AFolderOfRealFilesBecomesAVerifiedDataset()
    {
        using var temp = new TempDirectory();
        var manifestPath = MediaFolder.Create(temp);

        var manifest = await JsonlPacker.PackAsync(manifestPath, temp.Combine("out"), 1 << 20, 2, workers: 2);

        Assert.Equal(3, manifest.Documents);
        Assert.Equal(2, manifest.Modalities["image"].Segments);
        var report = await DatasetVerifier.VerifyAsync(temp.Combine("out"));
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        var rows = new List<DocumentRecord>();
        await foreach (var (_, _, document) in ShardedDataset.Open(temp.Combine("out")).ReadAllAsync())
        {
            rows.Add(document);
        }
        Assert.Equal(["one", "2", "three"], rows.Select(r => r.Id));
        var jpeg = rows[1].Segments[0];
        Assert.Equal(("jpeg", 40, 40), (jpeg.Encoding, jpeg.Width, jpeg.Height));
        Assert.Equal(File.ReadAllBytes(temp.Combine("media", "files", "blue.jpg")), jpeg.Data);
        Assert.Equal((8000, 0.5), (rows[1].Segments[2].SampleRate, rows[1].Segments[2].DurationSeconds));
        Assert.Equal((4, 24), (rows[2].Segments[0].Frames, rows[2].Segments[0].Width));
    }

    [Theory]
    [InlineData("""{"id": "x", "segments": [{"image": "files/missing.png"}]}""", "line 5: document 'x' segment 0: image file 'files/missing.png' not found")]
    [InlineData("""{"id": "x", "segments": [{"image": "files/tone.wav"}]}""", "line 5: document 'x' segment 0: files/tone.wav: only PNG and JPEG images are supported")]
    [InlineData("""{"id": "x", "segments": [{"smell": "roses"}]}""", "line 5: document 'x' segment 0: a segment needs one of")]
    [InlineData("""{"id": "x", "segments": []}""", "line 5: document 'x': \"segments\" must be a non-empty array")]
    [InlineData("""{"id": "one", "segments": [{"text": "again"}]}""", "line 5: Document id 'one' appears twice")]
    [InlineData("not json", "line 5: not valid JSON")]
    public async Task ABadLineIsNamedAndNothingIsLeftBehind(string badLine, string expected)
    {
        using var temp = new TempDirectory();
        var manifestPath = MediaFolder.Create(temp, badLine);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => JsonlPacker.PackAsync(manifestPath, temp.Combine("out"), 1 << 20, 64, workers: 2));

        Assert.Contains($"{manifestPath} {expected}", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.Combine("out")));
    }

    [Fact]
    public async Task ATruncatedImageIsCaughtAtPackTime()
    {
        using var temp = new TempDirectory();
        var manifestPath = MediaFolder.Create(temp, """{"id": "cut", "segments": [{"image": "files/cut.png"}]}""");
        var png = File.ReadAllBytes(temp.Combine("media", "files", "red.png"));
        File.WriteAllBytes(temp.Combine("media", "files", "cut.png"), png[..(png.Length / 2)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => JsonlPacker.PackAsync(manifestPath, temp.Combine("out"), 1 << 20, 64, workers: 1));

        Assert.Contains("line 5: document 'cut' segment 0: files/cut.png: image does not decode completely", error.Message, StringComparison.Ordinal);
    }
}
