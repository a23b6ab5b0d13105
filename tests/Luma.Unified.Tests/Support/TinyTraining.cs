using Luma.Unified.Heads;
using Luma.Unified.Training;
using Luma.Unified.Training.Observability;

namespace Luma.Unified.Tests.Support;

/// <summary>Trains a <see cref="TinyConfigs"/> model into <c>TEMP/run</c>, its log closed when the run returns.</summary>
public static class TinyTraining
{
    public static (TrainingResult Result, RunDirectory Run) Run(TempDirectory temp, params string[] overrides) =>
        Run(temp, lossFault: null, overrides);

    /// <summary>As <see cref="Run(TempDirectory, string[])"/>, with <paramref name="lossFault"/> as the trainer's loss fault.</summary>
    public static (TrainingResult Result, RunDirectory Run) Run(TempDirectory temp, Func<int, LossBreakdown, LossBreakdown>? lossFault, params string[] overrides)
    {
        var config = TinyConfigs.Load(overrides);
        var run = RunDirectory.Create(temp.Combine("run"), config.ToYaml());
        using var log = RunLogging.Create(run.LogFile);
        return (new Trainer(config, run, log) { LossFault = lossFault }.Run(), run);
    }
}
