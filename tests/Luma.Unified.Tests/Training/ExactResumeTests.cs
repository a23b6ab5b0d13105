using System.Text.Json;
using Luma.Unified.Tests.Support;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Training;

/// <summary>
/// Tests that compare random streams bitwise. libtorch's default generator is shared by every thread of the
/// process, so these run alone, after the parallel tests, where nothing else draws from it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExclusiveRandomStream
{
    public const string Name = "exclusive random stream";
}

[Collection(ExclusiveRandomStream.Name)]
public sealed class ExactResumeTests : TorchTest
{
    [Fact]
    public void ResumingFromACheckpointContinuesTheExactLossSequence()
    {
        using var uninterrupted = new TempDirectory();
        using var resumed = new TempDirectory();
        string[] overrides = ["train.steps=40", "train.log_every=1", "checkpoint.every=20", "checkpoint.keep_last=5", "model.dropout=0.1"];
        var config = TinyConfigs.Load(overrides);
        var first = RunDirectory.Create(uninterrupted.Combine("run"), config.ToYaml());
        using (var log = RunLogging.Create(first.LogFile))
        {
            new Trainer(config, first, log).Run();
        }

        // A new run directory holding only the step-20 checkpoint, as after a kill just after that save.
        var run = RunDirectory.Create(resumed.Combine("run"), config.ToYaml());
        var checkpoint = Path.Combine(run.CheckpointsDirectory, "step_00000020");
        Directory.CreateDirectory(checkpoint);
        foreach (var file in Directory.GetFiles(Path.Combine(first.CheckpointsDirectory, "step_00000020")))
        {
            File.Copy(file, Path.Combine(checkpoint, Path.GetFileName(file)));
        }
        using (var log = RunLogging.Create(run.LogFile))
        {
            var result = new Trainer(config, run, log).Run(resumeFrom: checkpoint);
            Assert.Equal(40, result.StepsDone);
        }

        static Dictionary<int, double> Losses(RunDirectory r) => File.ReadAllLines(r.MetricsFile).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(m => m.GetProperty("step").GetInt32(), m => m.GetProperty("loss").GetDouble());
        var expected = Losses(first);
        var actual = Losses(run);
        Assert.Equal(Enumerable.Range(21, 20), actual.Keys.Order());
        Assert.All(actual, kv => Assert.Equal(expected[kv.Key], kv.Value)); // bitwise: same threads, same data, same dropout masks
    }
}
