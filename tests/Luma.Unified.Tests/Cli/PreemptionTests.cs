using System.Diagnostics;
using Luma.Unified.Cli;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

/// <summary>A scheduler's SIGTERM: the run finishes its step, saves and exits 0 so it can be requeued.</summary>
public sealed class PreemptionTests
{
    [Fact]
    public async Task SigtermSavesACheckpointAndExitsZero()
    {
        using var temp = new TempDirectory();
        var run = temp.Combine("run");
        using var process = LumaProcess.Start(temp.Path, ["train", "--config", Repo.Config("tiny-text.yaml"), "--run-dir", run,
            .. TinyConfigs.SmallModel.SelectMany(s => new[] { "--set", s }), "--set", "train.steps=100000", "--set", "train.log_every=1", "--set", "checkpoint.every=0"]);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var metrics = Path.Combine(run, "metrics.jsonl");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 3) && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(100);
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        var exited = process.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(exited, "luma train did not stop within 60 s of SIGTERM");
        Assert.True(process.ExitCode == ExitCodes.Success, await error);
        var checkpoints = Directory.GetDirectories(Path.Combine(run, "checkpoints"));
        var checkpoint = Assert.Single(checkpoints);
        Assert.True(File.Exists(Path.Combine(checkpoint, "state.json")));
        Assert.Contains("Stop requested", await output, StringComparison.Ordinal);
    }
}
