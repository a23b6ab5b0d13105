using Luma.Unified.Cli;
using Luma.Unified.Data.Format;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

public sealed class DataCommandTests
{
    [Fact]
    public void SynthVerifyInspectAsANewUserRunsThem()
    {
        using var temp = new TempDirectory();
        var dataset = temp.Combine("shapes");

        var synth = LumaProcess.InProcess("data", "synth", "--out", dataset, "--documents", "80", "--image-size", "32", "--row-group", "16");
        var verify = LumaProcess.InProcess("data", "verify", dataset);
        var inspect = LumaProcess.InProcess("data", "inspect", dataset, "--rows", "3", "--dump", temp.Combine("dump"));

        Assert.Equal(ExitCodes.Success, synth.ExitCode);
        Assert.Contains("wrote 80 documents", synth.Output, StringComparison.Ordinal);
        Assert.Contains("synth: 80/80 (100%)", synth.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, verify.ExitCode);
        Assert.Contains("ok: 80 documents", verify.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, inspect.ExitCode);
        Assert.Contains("shard-00000.parquet", inspect.Output, StringComparison.Ordinal);
        Assert.Contains("shapes/00000002", inspect.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ image\s+│", inspect.Output);
        Assert.NotEmpty(Directory.GetFiles(temp.Combine("dump"), "*.png"));
    }

    [Fact]
    public void VerifyExitsWithOneAndLocatesEachBadRow()
    {
        using var temp = new TempDirectory();
        var dataset = temp.Combine("shapes");
        Assert.Equal(ExitCodes.Success, LumaProcess.InProcess("data", "synth", "--out", dataset, "--documents", "20", "--image-size", "32").ExitCode);
        var shard = Path.Combine(dataset, DatasetManifest.Load(dataset).Shards[0].File);
        var bytes = File.ReadAllBytes(shard);
        bytes[bytes.Length / 3] ^= 0x5A;
        File.WriteAllBytes(shard, bytes);

        var verify = LumaProcess.InProcess("data", "verify", dataset);

        Assert.Equal(ExitCodes.RuntimeFailure, verify.ExitCode);
        Assert.Contains("BAD shard-00000.parquet: SHA-256 is", verify.Output, StringComparison.Ordinal);
        Assert.Contains("problem(s) in", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void PackTurnsAJsonlManifestIntoAVerifiedDataset()
    {
        using var temp = new TempDirectory();
        var manifest = MediaFolder.Create(temp);

        var pack = LumaProcess.InProcess("data", "pack", "--jsonl", manifest, "--out", temp.Combine("packed"), "--workers", "2");
        var verify = LumaProcess.InProcess("data", "verify", temp.Combine("packed"));
        using var brokenFolder = new TempDirectory();
        var broken = MediaFolder.Create(brokenFolder, """{"id": "bad", "segments": [{"audio": "files/nope.wav"}]}""");
        var failed = LumaProcess.InProcess("data", "pack", "--jsonl", broken, "--out", temp.Combine("broken"));

        Assert.Equal(ExitCodes.Success, pack.ExitCode);
        Assert.Contains("packed 3 documents", pack.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, verify.ExitCode);
        Assert.Equal(ExitCodes.RuntimeFailure, failed.ExitCode);
        Assert.Contains("line 5: document 'bad' segment 0: audio file 'files/nope.wav' not found", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PackReadsHuggingFaceStyleParquet()
    {
        using var temp = new TempDirectory();
        var fixture = Path.Combine(Repo.Root, "tests", "fixtures", "hf-parquet", "shapes.parquet");

        var pack = LumaProcess.InProcess("data", "pack", "--hf", fixture, "--columns", "image,text,audio", "--out", temp.Combine("hf"));

        Assert.Equal(ExitCodes.Success, pack.ExitCode);
        Assert.Contains("packed 3 documents", pack.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, LumaProcess.InProcess("data", "verify", temp.Combine("hf")).ExitCode);
    }

    [Fact]
    public void BenchReportsThroughputForImagesAndAudioPerWorkerCount()
    {
        using var temp = new TempDirectory();

        var bench = LumaProcess.InProcess("data", "bench", "--documents", "64", "--image-size", "64", "--workers", "1,2", "--json", temp.Combine("bench.json"));

        Assert.Equal(ExitCodes.Success, bench.ExitCode);
        Assert.Contains("loader throughput", bench.Output, StringComparison.Ordinal);
        var results = System.Text.Json.JsonDocument.Parse(File.ReadAllText(temp.Combine("bench.json"))).RootElement.EnumerateArray().ToList();
        Assert.Equal([("image", 1), ("image", 2), ("audio", 1), ("audio", 2)], results.Select(r => (r.GetProperty("kind").GetString(), r.GetProperty("workers").GetInt32())));
        Assert.All(results, r =>
        {
            Assert.Equal(64, r.GetProperty("rows").GetInt64());
            Assert.True(r.GetProperty("rows_per_s").GetDouble() > 0);
            Assert.True(r.GetProperty("mib_per_s").GetDouble() > 0);
        });
        // 64×64 images in 16-pixel patches: 16 positions, plus the caption's bytes.
        Assert.InRange(results[0].GetProperty("positions_per_row").GetDouble(), 16 + 20, 16 + 60);
    }

    [Theory]
    [InlineData(new[] { "data", "pack", "--out", "x" }, 2, "give either --jsonl FILE or --hf FILE...")]
    [InlineData(new[] { "data", "encode", "x", "--out", "y" }, 2, "give at least one of --image-codec, --video-codec, --audio-codec")]
    [InlineData(new[] { "data", "synth", "--out", "x", "--documents", "0" }, 2, "--documents must be at least 1")]
    [InlineData(new[] { "data", "synth" }, 2, "Option '--out' is required")]
    [InlineData(new[] { "data", "verify", "/no/such/dataset" }, 1, "manifest.json is missing")]
    [InlineData(new[] { "data", "inspect", "/no/such/dataset" }, 1, "manifest.json is missing")]
    public void BadInvocationsAreNamed(string[] args, int exitCode, string expected)
    {
        var outcome = LumaProcess.InProcess(args);

        Assert.Equal(exitCode, outcome.ExitCode);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
    }
}
