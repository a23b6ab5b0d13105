using System.Text.Json;
using Luma.Unified.Cli;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

/// <summary>The luma program as a user runs it: fresh processes, real files.</summary>
public sealed class EndToEndTests
{
    [Fact]
    public void EnvReportsLibTorch210InAFreshProcess()
    {
        using var temp = new TempDirectory();

        var outcome = LumaProcess.Child(temp.Path, "env");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Matches(@"libtorch\s+2\.10", outcome.Output);
        Assert.Matches(@"TorchSharp\s+0\.107\.0", outcome.Output);
        Assert.Matches(@"CUDA available\s+(no|yes)", outcome.Output);
        Assert.Matches(@"torch threads\s+\d+", outcome.Output);
        Assert.Matches(@"fp32 matmul 1024²\s+[1-9]\d* GFLOP/s", outcome.Output);
        Assert.Matches(@"bf16 matmul 1024²\s+[1-9]\d* GFLOP/s", outcome.Output);
        Assert.Matches(@"precision: auto\s+(fp32|bf16-mixed)", outcome.Output);
    }

    [Fact]
    public void TrainThenSampleFromTheRunDirectory()
    {
        using var temp = new TempDirectory();
        var runDirectory = temp.Combine("run");

        var train = LumaProcess.Child(temp.Path, ["train", "--config", Repo.Config("tiny-text.yaml"), "--run-dir", runDirectory, .. TinyConfigs.SmallModel.SelectMany(s => new[] { "--set", s }), "--set", "train.steps=40", "--set", "checkpoint.every=20"]);

        Assert.True(train.ExitCode == ExitCodes.Success, train.Error);
        foreach (var file in new[] { "config.yaml", "log.jsonl", "metrics.jsonl" })
        {
            Assert.True(File.Exists(Path.Combine(runDirectory, file)), $"{file} is missing");
        }
        Assert.Equal(["step_00000020", "step_00000040"], Directory.GetDirectories(Path.Combine(runDirectory, "checkpoints")).Select(Path.GetFileName).Order());
        var last = JsonDocument.Parse(File.ReadLines(Path.Combine(runDirectory, "metrics.jsonl")).Last()).RootElement;
        Assert.Equal(40, last.GetProperty("step").GetInt32());
        Assert.Contains("steps: 40", File.ReadAllText(Path.Combine(runDirectory, "config.yaml")), StringComparison.Ordinal);
        Assert.Contains("\"@mt\"", File.ReadLines(Path.Combine(runDirectory, "log.jsonl")).First(), StringComparison.Ordinal);

        var sample = LumaProcess.Child(temp.Path, "sample", "--checkpoint", runDirectory, "--prompt", "a red", "--max-new-tokens", "20", "--seed", "3");
        var again = LumaProcess.Child(temp.Path, "sample", "--checkpoint", Path.Combine(runDirectory, "checkpoints", "step_00000040"), "--prompt", "a red", "--max-new-tokens", "20", "--seed", "3");

        Assert.True(sample.ExitCode == ExitCodes.Success, sample.Error);
        Assert.StartsWith("a red", sample.Output, StringComparison.Ordinal);
        Assert.True(sample.Output.TrimEnd('\n').Length > "a red".Length);
        Assert.Equal(sample.Output, again.Output);
        Assert.Contains("step 40", sample.Error, StringComparison.Ordinal);
    }
}
