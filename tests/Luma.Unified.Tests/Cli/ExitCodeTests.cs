using Luma.Unified.Cli;
using Luma.Unified.Tests.Support;

namespace Luma.Unified.Tests.Cli;

public sealed class ExitCodeTests
{
    [Fact]
    public void ConfigShowPrintsTheResolvedConfigWithOverrides()
    {
        var outcome = LumaProcess.InProcess("config", "show", "--config", Repo.Config("tiny-text.yaml"), "--set", "model.layers=6", "--set", "train.lr=0.01");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("  layers: 6\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("  lr: 0.01\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("  mlp_hidden: 0\n", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("checkpoint:\n", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AHaltedRunExitsWithOneAndItsReasonWithoutAStackTrace()
    {
        var error = new StringWriter();

        var code = CommandGuard.Run(error, () => throw new Luma.Unified.Training.Guards.TrainingHaltedException("step 3: non-finite loss NaN from modality text NaN"));

        Assert.Equal(ExitCodes.RuntimeFailure, code);
        Assert.Equal("error: step 3: non-finite loss NaN from modality text NaN", error.ToString().TrimEnd());
    }

    [Fact]
    public void AMisspeltKeyExitsWithTwoAndNamesIt()
    {
        var outcome = LumaProcess.InProcess("train", "--config", Repo.Config("tiny-text.yaml"), "--set", "model.dimm=64");

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("model.dimm", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'model.dim'?", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "train" }, "Option '--config' is required")]
    [InlineData(new[] { "trian" }, "trian")]
    [InlineData(new[] { "train", "--config", "missing.yaml" }, "missing.yaml: config file not found.")]
    [InlineData(new[] { "config", "show", "--config", "missing.yaml" }, "missing.yaml: config file not found.")]
    [InlineData(new[] { "train", "--confg", "x.yaml" }, "--confg")]
    [InlineData(new[] { "sample", "--checkpoint", "no/such/run" }, "no/such/run")]
    [InlineData(new[] { "sample", "--checkpoint", "no/such/run", "--top-p", "1.5" }, "--top-p must be in (0, 1]")]
    [InlineData(new[] { "sample", "--checkpoint", "x", "--max-new-tokens", "many" }, "many")]
    public void UsageAndConfigErrorsExitWithTwo(string[] args, string expected)
    {
        var outcome = LumaProcess.InProcess(args);

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("env")]
    [InlineData("train")]
    [InlineData("sample")]
    [InlineData("config")]
    [InlineData("data")]
    [InlineData("codec")]
    public void EveryVerbHasHelp(string verb)
    {
        var outcome = LumaProcess.InProcess(verb, "--help");

        Assert.Equal(ExitCodes.Success, outcome.ExitCode);
        Assert.Contains("Usage:", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(verb, outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownTokenizerIsAConfigErrorWithASuggestion()
    {
        using var temp = new TempDirectory();

        var outcome = LumaProcess.InProcess("train", "--config", Repo.Config("tiny-text.yaml"), "--set", "data.tokenizer=o200k", "--run-dir", temp.Combine("run"));

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("data.tokenizer = 'o200k': unknown tokenizer 'o200k'. Did you mean 'o200k_base'? Known: byte, cl100k_base, hf-json, o200k_base.", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResumeAutoContinuesARunAndARefusedConfigChangeExitsWithTwo()
    {
        using var temp = new TempDirectory();
        var run = temp.Combine("run");
        string[] Args(int steps, params string[] extra) =>
            ["train", "--config", Repo.Config("tiny-text.yaml"), "--run-dir", run, .. TinyConfigs.SmallModel.SelectMany(s => new[] { "--set", s }),
             "--set", $"train.steps={steps}", "--set", "checkpoint.every=5", .. extra];

        var fresh = LumaProcess.InProcess(Args(10, "--resume", "auto"));
        var refused = LumaProcess.InProcess(Args(20, "--resume", "auto"));
        var configAfterRefusal = File.ReadAllText(Path.Combine(run, "config.yaml"));
        var resumed = LumaProcess.InProcess(Args(20, "--resume", "auto", "--allow-config-change"));

        Assert.Equal(ExitCodes.Success, fresh.ExitCode);
        Assert.Equal(ExitCodes.UsageError, refused.ExitCode);
        Assert.Contains("train.steps: 10 → 20", refused.Error, StringComparison.Ordinal);
        Assert.Contains("steps: 10", configAfterRefusal, StringComparison.Ordinal); // left as it was
        Assert.Equal(ExitCodes.Success, resumed.ExitCode);
        var steps = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToList();
        Assert.Equal(20, steps[^1]);
        Assert.Contains(10, steps);
        Assert.DoesNotContain(steps.SkipWhile(s => s != 10).Skip(1), s => s <= 10); // resumed after 10, not from 0
    }

    [Fact]
    public void TrainingIntoARunDirectoryWithCheckpointsIsRefused()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("run", "checkpoints", "step_00000010"));

        var outcome = LumaProcess.InProcess("train", "--config", Repo.Config("tiny-text.yaml"), "--run-dir", temp.Combine("run"));

        Assert.Equal(ExitCodes.UsageError, outcome.ExitCode);
        Assert.Contains("already holds checkpoints", outcome.Error, StringComparison.Ordinal);
    }
}
