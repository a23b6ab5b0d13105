using System.Diagnostics;
using System.Text.Json;
using Luma.Unified.Cli;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Distributed;

/// <summary>What happens to a 2-rank run when a worker is killed, stops responding, or the run is resumed.</summary>
public sealed class DataParallelFaultTests
{
    private static readonly string[] PerRank = [$"train.micro_batch={LaunchedTraining.RowsPerRank}", $"train.global_batch={2 * LaunchedTraining.RowsPerRank}"];

    [Fact]
    public void ResumingATwoRankRunContinuesBothRanksStreamsExactly()
    {
        using var temp = new TempDirectory();
        string[] settings = [.. PerRank, "train.steps=8", "checkpoint.every=4", "checkpoint.keep_last=5", "train.log_every=1"];
        var whole = LaunchedTraining.TwoRanks(temp.Path, temp.Combine("whole"), settings);
        Assert.True(whole.ExitCode == ExitCodes.Success, whole.Error);

        // The interrupted run: the same run cut back to its step-4 checkpoint, then resumed.
        var resumed = temp.Combine("resumed");
        CopyDirectory(temp.Combine("whole"), resumed);
        Directory.Delete(LaunchedTraining.Checkpoint(resumed, 8), recursive: true);
        var again = LumaProcess.Child(temp.Path, ["launch", "--nproc-per-node", "2", "--", .. LaunchedTraining.TrainArguments(resumed, settings), "--resume", "auto"]);

        Assert.True(again.ExitCode == ExitCodes.Success, again.Output + again.Error);
        Assert.Contains("Resumed from", again.Output, StringComparison.Ordinal);
        var checkpoint = LaunchedTraining.Checkpoint(temp.Combine("whole"), 8);
        Assert.Equal(File.ReadAllBytes(Path.Combine(checkpoint, "model.safetensors")), File.ReadAllBytes(Path.Combine(LaunchedTraining.Checkpoint(resumed, 8), "model.safetensors")));
        var ranksWhole = RankLoaders(checkpoint);
        Assert.Equal(2, ranksWhole.Count);
        Assert.NotEqual(ranksWhole[0], ranksWhole[1]);
        Assert.Equal(ranksWhole, RankLoaders(LaunchedTraining.Checkpoint(resumed, 8)));
    }

    [Fact]
    public async Task KillingOneWorkerMakesLaunchExitNonZeroAndEndsTheOthers()
    {
        using var temp = new TempDirectory();
        var run = temp.Combine("run");
        var (launch, output, error) = await StartLongRunAsync(temp.Path, run, "train.collective_timeout_s=30");
        using var process = launch;
        var workers = LaunchedTraining.Workers(run);
        Assert.Equal(2, workers.Count);

        Process.GetProcessById(workers[1]).Kill();
        var exited = launch.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(exited, "luma launch did not return within 30 s of a worker's death");
        Assert.NotEqual(ExitCodes.Success, launch.ExitCode);
        Assert.Contains("rank 1", await output + await error, StringComparison.Ordinal);
        Assert.Contains("the workers failed", await error, StringComparison.Ordinal);
        Assert.Empty(LaunchedTraining.Workers(run));
    }

    [Fact]
    public async Task AWorkerThatStopsRespondingEndsTheJobWithinTheCollectiveTimeout()
    {
        using var temp = new TempDirectory();
        var run = temp.Combine("run");
        var (launch, output, error) = await StartLongRunAsync(temp.Path, run, "train.collective_timeout_s=3");
        using var process = launch;
        var workers = LaunchedTraining.Workers(run);
        Assert.Equal(2, workers.Count);

        Signal(workers[1], "STOP");
        var exited = launch.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.True(exited, "luma launch did not return within 30 s of a worker hanging");
        Assert.NotEqual(ExitCodes.Success, launch.ExitCode);
        Assert.Matches(@"rank 0 of 2: all-reduce #\d+ .*did not complete within 3 s", await error);
        Assert.Empty(LaunchedTraining.Workers(run));
    }

    [Fact]
    public async Task SigtermToLaunchStopsBothRanksAtTheSameStepAndSaves()
    {
        using var temp = new TempDirectory();
        var run = temp.Combine("run");
        var (launch, output, error) = await StartLongRunAsync(temp.Path, run);
        using var process = launch;

        Signal(launch.Id, "TERM");
        var exited = launch.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(exited, "luma launch did not stop within 60 s of SIGTERM");
        Assert.True(launch.ExitCode == ExitCodes.Success, await output + await error);
        var stops = System.Text.RegularExpressions.Regex.Matches(await output, @"Stop requested: finishing at step (\d+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, stops.Count);
        Assert.Equal(stops[0], stops[1]);
        var checkpoint = LaunchedTraining.Checkpoint(run, int.Parse(stops[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, RankLoaders(checkpoint).Count);
    }

    /// <summary>
    /// Starts a 2-rank run of many steps under luma launch and returns once rank 0 has logged a step (both ranks are
    /// then in the training loop). Polls the file's length, not its lines: allocating in this process while other
    /// tests train makes garbage collections, and with them TorchSharp's temporary-scalar race, more frequent.
    /// </summary>
    private static async Task<(Process Launch, Task<string> Output, Task<string> Error)> StartLongRunAsync(string workingDirectory, string run, params string[] more)
    {
        var launch = LumaProcess.Start(workingDirectory, ["launch", "--nproc-per-node", "2", "--", .. LaunchedTraining.TrainArguments(run, [.. PerRank, "train.steps=100000", "train.log_every=1000", "checkpoint.every=0", .. more])]);
        var output = launch.StandardOutput.ReadToEndAsync();
        var error = launch.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        var metrics = Path.Combine(run, "metrics.jsonl");
        while (!(File.Exists(metrics) && new FileInfo(metrics).Length > 0) && !launch.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(200);
        }
        return (launch, output, error);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static List<string> RankLoaders(string checkpoint) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "state.json"))).RootElement.GetProperty("Ranks").EnumerateArray().Select(r => r.GetProperty("Loader").GetRawText())];

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
