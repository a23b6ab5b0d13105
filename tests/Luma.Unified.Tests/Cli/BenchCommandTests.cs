using System.Text.Json;
using Luma.Unified.Cli;
using Luma.Unified.Tests.Support;
using Luma.Unified.Tests.Training;

namespace Luma.Unified.Tests.Cli;

/// <summary>
/// The bench measures the whole process — its resident memory, its threads, its allocator — so it runs where no
/// other test shares the process.
/// </summary>
[Collection(ExclusiveRandomStream.Name)]
public sealed class BenchCommandTests : TorchTest
{
    private static string[] Bench(string json, params string[] more) =>
        ["bench", "--config", Repo.Config("tiny-text.yaml"), .. TinyConfigs.SmallModel.SelectMany(s => new[] { "--set", s }),
         "--steps", "3", "--warmup", "1", "--peak-sizes", "256", "--json", json, .. more];

    [Fact]
    public void BenchWritesEveryFigureWithPlausibleValues()
    {
        using var temp = new TempDirectory();
        var json = temp.Combine("bench.json");

        var outcome = LumaProcess.InProcess(Bench(json));

        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.Error);
        Assert.Contains("MFU", outcome.Output, StringComparison.Ordinal);
        // Progress: one line per step at this length (warm-up included), the last one at 4 of 4.
        Assert.Matches(@"bench: step 1/4 \(25%\), [\d.]+ s/step so far, RSS \d+ MiB", outcome.Error);
        Assert.Contains("bench: step 4/4 (100%)", outcome.Error, StringComparison.Ordinal);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.True(report.GetProperty("peaks")[0].GetProperty("gflops").GetDouble() > 0);
        var run = report.GetProperty("runs").EnumerateArray().Single();
        Assert.Equal("fp32", run.GetProperty("precision").GetString());
        Assert.Equal(3, run.GetProperty("steps").GetInt32());
        Assert.Equal(1, run.GetProperty("threads").GetInt32());
        Assert.Equal(1, run.GetProperty("ranks").GetInt32());
        Assert.EndsWith("free heap pages returned every 50 steps", run.GetProperty("allocator").GetString());
        foreach (var positive in new[] { "step_seconds", "tokens_per_second", "model_flops_per_step", "achieved_flops_per_second", "peak_flops_per_second", "peak_rss_bytes", "rss_after_warmup_bytes", "rss_end_bytes", "parameters" })
        {
            Assert.True(run.GetProperty(positive).GetDouble() > 0, $"{positive} = {run.GetProperty(positive)}");
        }
        var mfu = run.GetProperty("mfu").GetDouble();
        Assert.InRange(mfu, 1e-6, 1.0);
        Assert.Equal(run.GetProperty("achieved_flops_per_second").GetDouble() / run.GetProperty("peak_flops_per_second").GetDouble(), mfu, 1e-9);
        // 8 rows of 64 positions of text per step: the FLOPs follow from the per-token figure.
        Assert.Equal(8 * 64, run.GetProperty("positions_per_step").GetProperty("text").GetDouble());
        Assert.True(run.GetProperty("samples_per_second").GetProperty("text").GetDouble() > 0);
        var flopsPerToken = run.GetProperty("flops_per_token").GetProperty("text").GetDouble();
        Assert.Equal(8 * 64 * flopsPerToken, run.GetProperty("model_flops_per_step").GetDouble(), 1e-3);
        var split = run.GetProperty("step_time");
        foreach (var phase in new[] { "data_wait", "forward", "backward", "optimizer" })
        {
            Assert.True(split.GetProperty(phase).GetDouble() > 0, phase);
        }
        Assert.Equal(0, split.GetProperty("collectives").GetDouble());
        var parts = split.EnumerateObject().Sum(p => p.Value.GetDouble());
        Assert.Equal(run.GetProperty("step_seconds").GetDouble(), parts, 1e-6);
        Assert.InRange(run.GetProperty("data_wait_fraction").GetDouble(), 0, 1);
        Assert.InRange(run.GetProperty("loader_stall_fraction").GetDouble(), 0, 1);
        Assert.InRange(run.GetProperty("rss_growth_fraction").GetDouble(), -1, 1);
        Assert.True(double.IsFinite(run.GetProperty("final_loss").GetDouble()));
    }

    [Fact]
    public void ComparingPrecisionsRunsFp32ThenBf16AndReportsTheSpeedup()
    {
        using var temp = new TempDirectory();
        var json = temp.Combine("bench.json");

        var outcome = LumaProcess.InProcess(Bench(json, "--compare-precision"));

        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.Error);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(["fp32", "bf16"], report.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("compute_dtype").GetString()));
        Assert.Equal(["fp32", "bf16"], report.GetProperty("peaks").EnumerateArray().Select(p => p.GetProperty("dtype").GetString()));
        var runs = report.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(runs[1].GetProperty("tokens_per_second").GetDouble() / runs[0].GetProperty("tokens_per_second").GetDouble(), report.GetProperty("bf16_speedup").GetDouble(), 1e-9);
        Assert.Equal(runs[1].GetProperty("peak_flops_per_second").GetDouble() / runs[0].GetProperty("peak_flops_per_second").GetDouble(), report.GetProperty("bf16_peak_ratio").GetDouble(), 1e-9);
        Assert.Contains("bf16-mixed / fp32 tokens/s:", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ComparingCheckpointingRunsWithThenWithoutAndReportsSavingAndCost()
    {
        using var temp = new TempDirectory();
        var json = temp.Combine("bench.json");

        var outcome = LumaProcess.InProcess(Bench(json, "--compare-checkpointing"));

        Assert.True(outcome.ExitCode == ExitCodes.Success, outcome.Error);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var runs = report.GetProperty("runs").EnumerateArray().ToList();
        // The checkpointed run goes first, so memory it leaves reserved cannot hide the other run's peak.
        Assert.Equal([true, false], runs.Select(r => r.GetProperty("activation_checkpointing").GetBoolean()));
        var (with, without) = (runs[0], runs[1]);
        Assert.Equal(1 - with.GetProperty("peak_rss_bytes").GetDouble() / without.GetProperty("peak_rss_bytes").GetDouble(), report.GetProperty("checkpointing_memory_saving").GetDouble(), 1e-9);
        Assert.Equal(with.GetProperty("step_seconds").GetDouble() / without.GetProperty("step_seconds").GetDouble() - 1, report.GetProperty("checkpointing_time_cost").GetDouble(), 1e-9);
        // Recomputation is not model FLOPs: both runs count the same work.
        Assert.Equal(with.GetProperty("model_flops_per_step").GetDouble(), without.GetProperty("model_flops_per_step").GetDouble());
        // On CPU there is no GPU memory to read, and the saving is the resident memory's.
        Assert.All(runs, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("peak_gpu_memory_bytes").ValueKind));
        Assert.Contains("activation checkpointing: peak RSS", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("peak GPU memory", outcome.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--steps", "0", "--steps")]
    [InlineData("--peak-sizes", "12,abc", "--peak-sizes: '12'")]
    public void BadOptionsAreUsageErrors(string option, string value, string message)
    {
        using var temp = new TempDirectory();

        var outcome = LumaProcess.InProcess(["bench", "--config", Repo.Config("tiny-text.yaml"), option, value]);

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains(message, outcome.Error, StringComparison.Ordinal);
    }
}
