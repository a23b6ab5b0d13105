using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Training;

public sealed class TensorBoardWriterTests : TorchTest
{
    /// <summary>Reads every scalar of a TFRecord event file: frames of length (u64), CRC, an Event protobuf, CRC.</summary>
    private static List<(string Tag, long Step, float Value)> Scalars(string file)
    {
        var scalars = new List<(string, long, float)>();
        using var reader = new BinaryReader(File.OpenRead(file));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var length = reader.ReadUInt64();
            reader.ReadUInt32();
            var data = reader.ReadBytes((int)length);
            reader.ReadUInt32();
            var @event = Tensorboard.Event.Parser.ParseFrom(data);
            if (@event.Summary is { } summary)
            {
                scalars.AddRange(summary.Value.Select(v => (v.Tag, @event.Step, v.SimpleValue)));
            }
        }
        return scalars;
    }

    [Fact]
    public void TrainingWritesReadableEventFilesWithTheLoggedMetrics()
    {
        using var temp = new TempDirectory();
        var (_, run) = TinyTraining.Run(temp, "train.steps=10", "train.log_every=5", "train.eval_every=10", "data.validation_fraction=0.1");

        var file = Assert.Single(Directory.GetFiles(run.TensorBoardDirectory, "events.out.tfevents.*", SearchOption.AllDirectories));
        var scalars = Scalars(file);

        var losses = scalars.Where(s => s.Tag == "loss/total").ToList();
        Assert.Equal([1L, 5L, 10L], losses.Select(s => s.Step));
        var metrics = File.ReadAllLines(run.MetricsFile).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(metrics.Select(m => (float)m.GetProperty("loss").GetDouble()), losses.Select(s => s.Value));
        Assert.Equal([1L, 5L, 10L], scalars.Where(s => s.Tag == "loss/text").Select(s => s.Step));
        Assert.Equal([10L], scalars.Where(s => s.Tag == "loss/val").Select(s => s.Step));
        foreach (var tag in new[] { "train/lr", "train/grad_norm", "train/tokens_per_s", "train/mfu", "train/rss_bytes", "train/skipped_steps" })
        {
            Assert.Equal(3, scalars.Count(s => s.Tag == tag));
        }
        Assert.All(scalars.Where(s => s.Tag == "train/tokens_per_s"), s => Assert.True(s.Value > 0));
    }
}
