using System.Text.Json;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Training;

public sealed class TrainerTests : TorchTest
{
    private static (TrainingResult Result, RunDirectory Run) Train(TempDirectory temp, params string[] overrides) => TinyTraining.Run(temp, overrides);

    [Fact]
    public void ASmokeRunHalvesTheLossAndWritesTheRunDirectory()
    {
        using var temp = new TempDirectory();

        var (result, run) = Train(temp, "train.steps=150", "train.warmup_steps=10", "train.log_every=25", "train.eval_every=75", "checkpoint.every=60", "checkpoint.keep_last=2");

        // From ln(264) ≈ 5.58 (uniform over the byte vocabulary); 150 steps of this 40k-parameter model reach ≈ 1.5.
        Assert.InRange(result.FirstLoss, 5.0, 6.0);
        Assert.True(result.FinalLoss < 0.4 * result.FirstLoss, $"loss went {result.FirstLoss:0.000} → {result.FinalLoss:0.000}");
        Assert.NotNull(result.FinalValidationLoss);
        Assert.Equal(150, result.StepsDone);
        Assert.False(result.Stopped);

        Assert.True(File.Exists(run.ConfigFile));
        Assert.True(new FileInfo(run.LogFile).Length > 0);
        var metrics = File.ReadAllLines(run.MetricsFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 25, 50, 75, 100, 125, 150], metrics.Select(m => m.GetProperty("step").GetInt32()));
        Assert.All(metrics, m =>
        {
            Assert.True(m.GetProperty("loss").GetDouble() > 0);
            Assert.True(m.GetProperty("lr").GetDouble() > 0);
            Assert.True(m.GetProperty("tokens_per_s").GetDouble() > 0);
            // Model FLOPs over a measured peak: a share, and a tiny model is far from the peak.
            Assert.InRange(m.GetProperty("mfu").GetDouble(), 1e-6, 1.0);
            Assert.True(m.GetProperty("rss_bytes").GetInt64() > 10 << 20);
            Assert.True(m.GetProperty("peak_rss_bytes").GetInt64() >= m.GetProperty("rss_bytes").GetInt64());
            Assert.True(m.GetProperty("data_wait_s").GetDouble() >= 0);
            Assert.Equal(0, m.GetProperty("skipped_documents").GetInt64());
        });
        Assert.Equal(2, metrics.Count(m => m.TryGetProperty("val_loss", out _)));
        // Checkpoints at 60 and 120 and the final one at 150; keep_last = 2 leaves the newest two.
        Assert.Equal(["step_00000120", "step_00000150"], Directory.GetDirectories(run.CheckpointsDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task TrainingReadsTheTextOfShardedDatasets()
    {
        using var temp = new TempDirectory();
        await Luma.Unified.Data.Building.ShapesWorldBuilder.BuildAsync(temp.Combine("shapes"), 600, seed: 3,
            new Luma.Unified.Data.Synthesis.ShapesWorldOptions { ImageSize = 16, VideoSize = 16, VideoFrames = 2, SampleRate = 4000 }, 1 << 20, 32);

        var (result, run) = Train(temp, "data.source=shards", $"data.paths=[{temp.Combine("shapes")}]", "train.steps=80", "train.eval_every=80", "data.validation_fraction=0.1");

        Assert.True(result.FinalLoss < 0.5 * result.FirstLoss, $"loss went {result.FirstLoss:0.000} → {result.FinalLoss:0.000}");
        Assert.NotNull(result.FinalValidationLoss);
        Assert.Contains("\"Source\":\"shards\"", File.ReadAllText(run.LogFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APluginModalityTrainsBesideTextWithItsOwnLoss()
    {
        using var temp = new TempDirectory();
        var writer = new Luma.Unified.Data.Format.DatasetWriter(temp.Combine("sensor"), 1 << 20, 32, "test");
        var random = new Random(3);
        for (var i = 0; i < 400; i++)
        {
            var cycles = 1 + random.Next(4);
            var readings = Enumerable.Range(0, 40).Select(t => (float)Math.Sin(2 * Math.PI * cycles * t / 40)).ToArray();
            await writer.AddAsync(new Luma.Unified.Data.Format.DocumentRecord
            {
                Id = $"sensor/{i}",
                Segments =
                [
                    new Luma.Unified.Abstractions.SegmentRecord { Modality = "text", Text = $"a sine wave with {cycles} cycles." },
                    new Luma.Unified.Abstractions.SegmentRecord { Modality = "sensor", Encoding = "f32le", Data = [.. readings.SelectMany(BitConverter.GetBytes)] },
                ],
            });
        }
        await writer.CompleteAsync();

        var (result, run) = Train(temp, "data.source=shards", $"data.paths=[{temp.Combine("sensor")}]", $"modalities.plugins=[{SamplePlugin.AssemblyPath}]",
            "modalities.options={sensor: {bins: 32}}", "train.steps=120", "train.log_every=20", "train.lr=0.01");

        var metrics = File.ReadAllLines(run.MetricsFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double First(string key) => metrics.First(m => m.TryGetProperty(key, out _)).GetProperty(key).GetDouble();
        double Last(string key) => metrics.Last(m => m.TryGetProperty(key, out _)).GetProperty(key).GetDouble();
        // ln(264 + 32) ≈ 5.69 at the start; each modality's loss falls by more than half.
        Assert.True(Last("loss_sensor") < 0.5 * First("loss_sensor"), $"sensor loss {First("loss_sensor"):0.00} → {Last("loss_sensor"):0.00}");
        Assert.True(Last("loss_text") < 0.5 * First("loss_text"), $"text loss {First("loss_text"):0.00} → {Last("loss_text"):0.00}");
        Assert.Contains("text 264 + sensor 32", File.ReadAllText(run.LogFile), StringComparison.Ordinal);
        Assert.True(result.FinalLoss < result.FirstLoss);
    }

    [Fact]
    public void AMissingDatasetIsAConfigErrorNamingTheKey()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<Luma.Unified.Config.ConfigException>(() => Train(temp, "data.source=shards", "data.paths=[/no/such/dataset]"));

        Assert.Contains("data.paths[0] = '/no/such/dataset'", error.Message, StringComparison.Ordinal);
        Assert.Contains("manifest.json is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumingWithAChangedConfigIsRefusedWithTheChangesListed()
    {
        using var temp = new TempDirectory();
        var (_, first) = Train(temp, "train.steps=4", "checkpoint.every=2");
        var changed = TinyConfigs.Load("train.steps=4", "checkpoint.every=2", "train.lr=0.001");
        using var log = RunLogging.Create(null);

        var error = Assert.Throws<Luma.Unified.Config.ConfigException>(() =>
            new Trainer(changed, first, log).Run(resumeFrom: Path.Combine(first.CheckpointsDirectory, "step_00000002")));

        Assert.Contains("train.lr: 0.003 → 0.001", error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-config-change", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStopRequestEndsTheRunWithACheckpoint()
    {
        using var temp = new TempDirectory();
        var config = TinyConfigs.Load("train.steps=1000");
        var run = RunDirectory.Create(temp.Combine("run"), config.ToYaml());
        using var log = RunLogging.Create(run.LogFile);
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        var result = new Trainer(config, run, log).Run(stop.Token);

        Assert.True(result.Stopped);
        Assert.Equal(0, result.StepsDone);
        Assert.True(File.Exists(Path.Combine(result.LastCheckpoint, "state.json")));
    }
}
