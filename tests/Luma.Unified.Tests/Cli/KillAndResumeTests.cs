using System.Diagnostics;
using System.Text.Json;
using Luma.Unified.Cli;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

/// <summary>
/// The crash a cluster delivers: SIGKILL at an arbitrary moment, twice, each time resumed with --resume auto. The
/// resumed run must end with the uninterrupted run's weights, bit for bit, and log the same loss at every step.
/// </summary>
public sealed class KillAndResumeTests
{
    private const int Steps = 300;

    private static string[] TrainArguments(string runDirectory) =>
        ["train", "--config", Repo.Config("tiny-text.yaml"), "--run-dir", runDirectory,
         .. TinyConfigs.SmallModel.SelectMany(s => new[] { "--set", s }),
         "--set", $"train.steps={Steps}", "--set", "train.log_every=1", "--set", "checkpoint.every=25", "--set", "checkpoint.keep_last=3"];

    private static int LoggedSteps(string metrics) => File.Exists(metrics) ? File.ReadAllLines(metrics).Length : 0;

    /// <summary>Each step's loss as last logged (a resumed run logs again the steps after its checkpoint).</summary>
    private static Dictionary<int, double> LossByStep(string metrics) =>
        File.ReadAllLines(metrics).Select(l => JsonDocument.Parse(l).RootElement)
            .GroupBy(m => m.GetProperty("step").GetInt32())
            .ToDictionary(g => g.Key, g => g.Last().GetProperty("loss").GetDouble());

    private static async Task KillAfterMoreStepsAsync(string workingDirectory, string runDirectory, int moreSteps)
    {
        var metrics = Path.Combine(runDirectory, "metrics.jsonl");
        var target = LoggedSteps(metrics) + moreSteps;
        using var process = LumaProcess.Start(workingDirectory, [.. TrainArguments(runDirectory), "--resume", "auto"]);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (LoggedSteps(metrics) < target && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(10);
        }
        Assert.False(process.HasExited, "the run ended before it could be killed; give it more steps");
        process.Kill(); // SIGKILL: no handler runs, nothing is flushed or saved.
        await process.WaitForExitAsync();
    }

    [Fact]
    public async Task ARunKilledTwiceAndResumedEndsWithTheUninterruptedWeights()
    {
        using var temp = new TempDirectory();
        var uninterrupted = temp.Combine("uninterrupted");
        var killed = temp.Combine("killed");
        var random = new Random();

        var reference = LumaProcess.Child(temp.Path, TrainArguments(uninterrupted));
        await KillAfterMoreStepsAsync(temp.Path, killed, random.Next(40, 120));
        await KillAfterMoreStepsAsync(temp.Path, killed, random.Next(30, 100));
        var finished = LumaProcess.Child(temp.Path, [.. TrainArguments(killed), "--resume", "auto"]);

        Assert.True(reference.ExitCode == ExitCodes.Success, reference.Error);
        Assert.True(finished.ExitCode == ExitCodes.Success, finished.Error);
        Assert.Contains("Resumed from", finished.Output, StringComparison.Ordinal);
        var expected = LossByStep(Path.Combine(uninterrupted, "metrics.jsonl"));
        var actual = LossByStep(Path.Combine(killed, "metrics.jsonl"));
        Assert.Equal(Steps, expected.Count);
        Assert.Equal(expected.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
        var finalCheckpoint = Path.Combine("checkpoints", $"step_{Steps:D8}", "model.safetensors");
        Assert.Equal(File.ReadAllBytes(Path.Combine(uninterrupted, finalCheckpoint)), File.ReadAllBytes(Path.Combine(killed, finalCheckpoint)));
    }
}
